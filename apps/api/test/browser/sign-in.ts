import type { Page } from '@flightdeck/test-kit';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';

// Through the real login page, as a person would.
export async function signInThroughUi(
  page: Page,
  url: string,
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
) {
  await page.goto(url);
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

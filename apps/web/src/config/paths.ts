export const paths = {
  board: '/',
  apiDocs: '/api/docs',
} as const;

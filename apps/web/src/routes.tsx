import type { RouteObject } from 'react-router';
import { AppShell } from './components/layout/app-shell';
import { BoardPage } from './pages/board-page';
import { NotFoundPage } from './pages/not-found-page';

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    children: [
      { index: true, element: <BoardPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/** A small history-API router: the path is the state, so links, reloads and Back all work. */
import { create } from 'zustand';

interface RouteState {
  path: string;
  navigate(path: string, opts?: { replace?: boolean }): void;
}

export const useRoute = create<RouteState>((set) => ({
  path: location.pathname,
  navigate(path, opts) {
    if (opts?.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    set({ path });
  },
}));

addEventListener('popstate', () => useRoute.setState({ path: location.pathname }));

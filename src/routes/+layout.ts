// The whole app renders on the device: data lives in IndexedDB, which SSR cannot reach.
export const ssr = false;
export const prerender = false;

import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // SPA: every route renders on the device (PouchDB/IndexedDB never run in SSR);
    // the sync-server serves index.html for any path that is not a file.
    // precompress: a .br and a .gz copy of every file, served by sync-server/static.ts.
    adapter: adapter({ fallback: 'index.html', precompress: true }),
    // The worker (src/service-worker.ts) is registered by the root layout through
    // virtual:pwa-register (updates are offered, not forced), not by SvelteKit.
    serviceWorker: { register: false },
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'connect-src': ['self'],
        'worker-src': ['self'],
        'manifest-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self']
      }
    }
  }
};

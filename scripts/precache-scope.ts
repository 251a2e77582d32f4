/**
 * Keeps the desktop-only screens' code out of the tablet's precache: reports and statistics
 * (with their map and charts), account admin, the review queue and CARE 02. Those screens work
 * online by nature (they read the server's reports and queues), and a supervisor's desktop still
 * loads them from the network; leaving them out shortens a tablet's first install. A file that
 * any other screen also needs stays in, found by following the client build's import graph.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** Route folders whose screens are desktop-only. */
const DESKTOP_ONLY_ROUTES = /\/src\/routes\/(reports|admin|review|care02)\//;

/**
 * After the client build, adds to `globIgnores` (the precache's ignore list, read later when the
 * service worker's manifest is injected) every JS and CSS file only desktop screens reach.
 */
export function tabletPrecacheScope(globIgnores: string[]): Plugin {
  return {
    name: 'care-field:tablet-precache-scope',
    apply: 'build',
    writeBundle(_options, bundle) {
      if (this.environment.config.build.ssr) return;
      // A route node's entry is a generated file naming the page or layout it renders; the app's
      // router imports every node lazily, so the desktop nodes are where the walk stops.
      const isDesktopNode = (chunk: (typeof bundle)[string]) =>
        chunk.type === 'chunk' &&
        chunk.isEntry &&
        !!chunk.facadeModuleId?.includes('/generated/') &&
        DESKTOP_ONLY_ROUTES.test(readFileSync(chunk.facadeModuleId, 'utf8'));
      const needed = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = bundle[fileName];
        if (!chunk || chunk.type !== 'chunk' || needed.has(fileName) || isDesktopNode(chunk)) return;
        needed.add(fileName);
        for (const css of chunk.viteMetadata?.importedCss ?? []) needed.add(css);
        for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next);
      };
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk' && chunk.isEntry) visit(chunk.fileName);
      const desktopOnly = Object.values(bundle).filter(
        (f) => /\.(js|css)$/.test(f.fileName) && f.fileName.startsWith('_app/immutable/') && !needed.has(f.fileName)
      );
      globIgnores.push(...desktopOnly.map((f) => `client/${f.fileName}`));
    }
  };
}

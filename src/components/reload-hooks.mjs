// Module resolution hooks (node:module register) that make component reloading real.
//
// A component file is imported as `file:///…/x.ts?fda-gen=<hash>&fda-root=<dir>`. Node caches
// modules by URL, so a new hash gives fresh code. Without this hook, the files that module
// imports from the same folder (`./helpers.js`) would resolve to their plain URL and come from the
// cache: the original system's bug, where reloading a registry did not reload what it pointed at.
// So: every file: import made from such a module that resolves inside the same root gets the
// same query. Packages (node_modules) are left alone, so zod and friends stay single instances.
//
// Plain JavaScript on purpose: hooks run on the loader thread before any TypeScript support.

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (!parent || !parent.includes('fda-gen=')) return resolved;
  const parentUrl = new URL(parent);
  const root = parentUrl.searchParams.get('fda-root');
  if (!root || !resolved.url.startsWith('file:')) return resolved;
  const url = new URL(resolved.url);
  const path = decodeURIComponent(url.pathname);
  if (!path.startsWith(root.endsWith('/') ? root : `${root}/`) || path.includes('/node_modules/'))
    return resolved;
  url.search = parentUrl.search;
  return { ...resolved, url: url.href };
}

import type { GraphiQLOptions } from 'graphql-yoga';
import { GRAPHIQL_ASSETS_PATH } from './graphiql-assets.js';

export interface GraphiQLPageOptions {
  /** Show the API token field (when the server asks for tokens). */
  tokenField: boolean;
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The bar that holds the token; the GraphiQL container below it is made that much shorter. */
const TOKEN_BAR_HEIGHT = 40;

const TOKEN_BAR = /* HTML */ `
    <form id="fda-token-bar" autocomplete="off">
      <label for="fda-token">API token</label>
      <input id="fda-token" type="password" placeholder="paste a token with the read or write scope" spellcheck="false" />
      <button type="submit">Use token</button>
      <span id="fda-token-note">sent as <code>Authorization: Bearer …</code> with every operation, subscriptions too; kept in this tab only</span>
    </form>`;

const TOKEN_BAR_STYLE = `
      #fda-token-bar { box-sizing: border-box; height: ${TOKEN_BAR_HEIGHT}px; display: flex; align-items: center; gap: 8px; padding: 0 12px;
        font: 13px system-ui, sans-serif; border-bottom: 1px solid rgba(127, 127, 127, 0.35); }
      #fda-token { width: 24em; font: 13px ui-monospace, monospace; padding: 3px 6px; }
      #fda-token-note { opacity: 0.7; }
      #root .graphiql-container { height: calc(100vh - ${TOKEN_BAR_HEIGHT}px); }`;

/**
 * The token is read from the tab's session storage for every request GraphiQL makes (queries,
 * mutations, introspection, and subscriptions, which GraphiQL sends as server-sent events over
 * HTTP), through Yoga GraphiQL's `additionalHeaders`. "Use token" stores it and reloads the page,
 * so the schema is fetched again with it.
 */
const TOKEN_SCRIPT = `
        const TOKEN_KEY = 'finance-data-api:token';
        const tokenInput = document.getElementById('fda-token');
        tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || '';
        document.getElementById('fda-token-bar').addEventListener('submit', (event) => {
          event.preventDefault();
          sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
          location.reload();
        });
        options.additionalHeaders = () => {
          const token = sessionStorage.getItem(TOKEN_KEY);
          return token ? { Authorization: 'Bearer ' + token } : {};
        };`;

/**
 * GraphiQL's page, every asset of it served by this server (graphiql-assets.ts): no CDN, so it
 * works with no internet. Same options as Yoga's own page, plus an API token field when needed.
 */
export function renderGraphiQLPage(options: GraphiQLOptions, page: GraphiQLPageOptions): string {
  const asset = (name: string) => `${GRAPHIQL_ASSETS_PATH}${name}`;
  // GraphiQL 5 opens the first tab with the `initialVariables` prop, not the tab's own variables.
  const firstVariables = options.defaultTabs?.[0]?.variables;
  const props = firstVariables ? { ...options, initialVariables: firstVariables } : options;
  return /* HTML */ `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${asset('favicon.ico')}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <style>
      body { margin: 0; }${page.tokenField ? TOKEN_BAR_STYLE : ''}
    </style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>${page.tokenField ? TOKEN_BAR : ''}
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => (${scriptJson({ editorWorkerService: asset('editor.worker.js'), json: asset('json.worker.js'), graphql: asset('graphql.worker.js') })})[label],
      };
    </script>
    <script src="${asset('graphiql.js')}"></script>
    <script>
      (() => {
        const options = ${scriptJson(props)};${page.tokenField ? TOKEN_SCRIPT : ''}
        YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
      })();
    </script>
  </body>
</html>
`;
}

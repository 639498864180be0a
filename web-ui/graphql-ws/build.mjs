/*
 * Bundles entry.js (the graphql-ws client) into one minified ES module in the dashboard's vendor/ folder, with its
 * licence beside it. Run with `npm ci --ignore-scripts && npm run build` here (README.md).
 */
import {build} from 'esbuild';
import {copyFileSync, readFileSync} from 'node:fs';

const here = new URL('.', import.meta.url);
const vendor = new URL('../src/main/resources/io/dagscope/webui/dashboard/vendor/', here);
const version = name => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, here), 'utf8')).version;

copyFileSync(new URL('node_modules/graphql-ws/LICENSE.md', here), new URL('graphql-ws-LICENSE.txt', vendor));

const banner = `/*! graphql-ws ${version('graphql-ws')} (MIT: graphql-ws-LICENSE.txt). Only its client (createClient, `
  + `CloseCode), bundled by dagscope's web-ui/graphql-ws (README.md) with esbuild ${version('esbuild')}. */`;

await build({
  entryPoints: [new URL('entry.js', here).pathname],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  banner: {js: banner},
  outfile: new URL('graphql-ws.min.js', vendor).pathname,
  logLevel: 'info',
});

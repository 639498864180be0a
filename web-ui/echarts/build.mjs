/*
 * Bundles entry.js (the parts of ECharts the dashboard uses) into one minified ES module in the dashboard's vendor/
 * folder, with the licences of everything in it beside it. Run with `npm ci && npm run build` here (README.md).
 */
import {build} from 'esbuild';
import {copyFileSync, readFileSync} from 'node:fs';

const here = new URL('.', import.meta.url);
const vendor = new URL('../src/main/resources/io/dagscope/webui/dashboard/vendor/', here);
const version = name => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, here), 'utf8')).version;

const licences = {
  'echarts-LICENSE.txt': 'node_modules/echarts/LICENSE',
  'echarts-NOTICE.txt': 'node_modules/echarts/NOTICE',
  'echarts-LICENSE-d3.txt': 'node_modules/echarts/licenses/LICENSE-d3',
  'zrender-LICENSE.txt': 'node_modules/zrender/LICENSE',
  'tslib-LICENSE.txt': 'node_modules/tslib/LICENSE.txt',
};
for (const [to, from] of Object.entries(licences)) {
  copyFileSync(new URL(from, here), new URL(to, vendor));
}

const banner = `/*! Apache ECharts ${version('echarts')} (Apache-2.0: echarts-LICENSE.txt, echarts-NOTICE.txt, `
  + `echarts-LICENSE-d3.txt), ZRender ${version('zrender')} (BSD-3-Clause: zrender-LICENSE.txt), tslib `
  + `${version('tslib')} (0BSD: tslib-LICENSE.txt). Only bar, line and custom series, grid, plain legend, tooltip and the `
  + `canvas renderer, bundled by dagscope's web-ui/echarts (README.md) with esbuild ${version('esbuild')}. */`;

await build({
  entryPoints: [new URL('entry.js', here).pathname],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  banner: {js: banner},
  outfile: new URL('echarts.min.js', vendor).pathname,
  logLevel: 'info',
});

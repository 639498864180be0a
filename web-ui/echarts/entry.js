/*
 * The parts of ECharts the dashboard draws with, and nothing else: bar, line and custom series (the run's timeline) on
 * a grid, with tooltips and plain legends, on a canvas. A chart type or component used by the dashboard's code must be
 * added here, then the bundle rebuilt (README.md).
 */
import {getInstanceByDom, graphic, init, use} from 'echarts/core';
import {BarChart, CustomChart, LineChart} from 'echarts/charts';
import {GridComponent, LegendPlainComponent, TooltipComponent} from 'echarts/components';
import {CanvasRenderer} from 'echarts/renderers';

use([BarChart, LineChart, CustomChart, GridComponent, LegendPlainComponent, TooltipComponent, CanvasRenderer]);

export {getInstanceByDom, graphic, init};

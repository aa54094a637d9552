import type { ChartConfiguration, ChartType } from 'chart.js';
import { useEffect, useRef } from 'react';

import { useAppliedTheme } from '../../theme/useAppliedTheme';
import { readChartColors, type ChartColors } from './chartColors';
import { Chart } from './chartSetup';

/**
 * A Chart.js chart on a real <canvas>. `build` makes the configuration from
 * the theme's colours; the chart is rebuilt when `build` or the theme changes
 * (memoise `build`). The canvas carries `data-testid` and an accessible label.
 */
export function ChartCanvas<T extends ChartType>({
  build,
  testId,
  label,
  height = 260,
}: {
  readonly build: (colors: ChartColors) => ChartConfiguration<T>;
  readonly testId: string;
  readonly label: string;
  readonly height?: number;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const theme = useAppliedTheme();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas?.getContext('2d') == null) {
      return; // no canvas support (tests): the label still describes the chart
    }
    const chart = new Chart(canvas, build(readChartColors()));
    return () => {
      chart.destroy();
    };
  }, [build, theme]);

  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvasRef} data-testid={testId} role="img" aria-label={label} />
    </div>
  );
}

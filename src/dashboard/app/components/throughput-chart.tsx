import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Jobs ended per hour over the last 24 hours (finished and failed), drawn by uPlot. */
export function ThroughputChart({
  hours,
  finished,
  failed,
}: {
  hours: number[];
  finished: number[];
  failed: number[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const plot = new uPlot(
      {
        width: Math.max(320, box.current.clientWidth),
        height: 180,
        series: [
          {},
          { label: 'finished', stroke: '#2e7d32', fill: 'rgba(46,125,50,0.15)' },
          { label: 'failed', stroke: '#c62828', fill: 'rgba(198,40,40,0.15)' },
        ],
        axes: [{}, { label: 'jobs / hour' }],
      },
      [hours, finished, failed],
      box.current,
    );
    return () => plot.destroy();
  }, [hours, finished, failed]);
  return <div ref={box} class="chart" data-testid="throughput" />;
}

import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { formatShare } from '../services/format.ts';

// Chart.js, registered piece by piece so the console's chunk carries only bars and lines.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

export interface ShareSeries {
  labels: string[];
  /** 0..1 or null (no denominator). */
  shares: (number | null)[];
  targets: (number | null)[];
}

/**
 * Recognised share per place (or per title) as bars, the target as a line over them. The canvas is
 * an image with a spoken summary; the same figures are in the table beside every chart.
 */
export function ShareChart({
  series,
  label,
  horizontal = false,
  height = 300,
}: {
  series: ShareSeries;
  label: string;
  horizontal?: boolean;
  height?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
      type: 'bar',
      data: {
        labels: series.labels,
        datasets: [
          {
            type: 'bar',
            label: 'Tỷ lệ công nhận',
            data: series.shares.map(pct),
            backgroundColor: '#2f6fad',
            borderColor: '#0b4f8a',
            borderWidth: 1,
          },
          {
            type: 'line',
            label: 'Chỉ tiêu',
            data: series.targets.map(pct),
            borderColor: '#b3261e',
            backgroundColor: '#b3261e',
            borderDash: [6, 4],
            pointRadius: 3,
            pointStyle: 'rectRot',
            showLine: !horizontal,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: 'vi-VN',
        scales: {
          [horizontal ? 'x' : 'y']: {
            min: 0,
            max: 100,
            ticks: { callback: (v: string | number) => `${v} %` },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const v = ctx.parsed[horizontal ? 'x' : 'y'];
                return `${ctx.dataset.label}: ${formatShare(v === null ? null : v / 100)}`;
              },
            },
          },
        },
      },
    };
    const chart = new Chart(ref.current, config as ChartConfiguration);
    return () => chart.destroy();
  }, [series, horizontal]);
  const summary = series.labels
    .map(
      (l, i) => `${l}: ${formatShare(series.shares[i] ?? null)} (chỉ tiêu ${formatShare(series.targets[i] ?? null)})`,
    )
    .join('; ');
  return (
    <div className="console-chart" style={{ height }}>
      <canvas ref={ref} role="img" aria-label={`${label}. ${summary}`} />
    </div>
  );
}

// Reports: a widget's figures over a range (GET /api/widgets/:widgetId/reports), drawn with
// Chart.js (served from node_modules by Caty itself), with the same numbers as tables for
// screen readers, and the conversations as CSV.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiBlob, describeError, path } from './api.js';
import { Alert, html, languageName, NoWidgetYet, useLoader, WidgetPicker } from './ui.js';

const DAY_MS = 86_400_000;
const isoDay = (date) => date.toISOString().slice(0, 10);

let chartLibrary = null;

/** Chart.js's UMD build, loaded once, when the first chart is drawn. */
function loadChart() {
  chartLibrary ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/dashboard/vendor/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => reject(new Error('the chart library could not be loaded'));
    document.head.append(script);
  });
  return chartLibrary;
}

function ChartCanvas({ label, config }) {
  const canvas = useRef(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let chart = null;
    let cancelled = false;
    loadChart()
      .then((Chart) => {
        if (cancelled || !canvas.current) return;
        chart = new Chart(canvas.current, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
      })
      .catch((failure) => setError(describeError(failure)));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [config]);
  return html`
    <div class="chart">
      <canvas ref=${canvas} role="img" aria-label=${label}></canvas>
      <${Alert} message=${error} />
    </div>
  `;
}

function percent(share) {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}

function duration(ms) {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function Figures({ report }) {
  const figures = [
    ['Conversations', report.conversations],
    ['Messages from customers', report.messages_in],
    ['Messages to customers', report.messages_out],
    ['Answered by Caty', percent(report.answered_by_ai_share)],
    ['Asked for a person', report.handoffs],
    ['Median first reply', duration(report.median_first_reply_ms)],
    ['Leads', report.leads],
  ];
  return html`<dl class="figures">${figures.map(([name, value]) => html`<div key=${name}><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`;
}

const COLOURS = { conversations: '#3949ab', handoffs: '#b26a00', leads: '#2e7d32' };

function Charts({ report }) {
  const days = report.by_day;
  const daily = {
    type: 'bar',
    data: {
      labels: days.map((d) => d.date),
      datasets: ['conversations', 'handoffs', 'leads'].map((key) => ({ label: { conversations: 'Conversations', handoffs: 'Asked for a person', leads: 'Leads' }[key], data: days.map((d) => d[key]), backgroundColor: COLOURS[key] })),
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
  const languages = Object.entries(report.languages);
  const byLanguage = {
    type: 'doughnut',
    data: { labels: languages.map(([code]) => languageName(code === 'unknown' ? null : code).replace('—', 'Unknown')), datasets: [{ data: languages.map(([, n]) => n) }] },
  };
  const dailyLabel = `Conversations, requests for a person and leads per day, ${days[0]?.date} to ${days[days.length - 1]?.date}`;
  return html`
    <section class="panel" aria-labelledby="per-day-heading">
      <h2 id="per-day-heading">Per day</h2>
      <${ChartCanvas} label=${dailyLabel} config=${daily} />
      <details>
        <summary>The numbers per day</summary>
        <table>
          <thead><tr><th scope="col">Day</th><th scope="col">Conversations</th><th scope="col">Asked for a person</th><th scope="col">Leads</th></tr></thead>
          <tbody>${days.map((d) => html`<tr key=${d.date}><th scope="row">${d.date}</th><td>${d.conversations}</td><td>${d.handoffs}</td><td>${d.leads}</td></tr>`)}</tbody>
        </table>
      </details>
    </section>
    <section class="panel" aria-labelledby="languages-heading">
      <h2 id="languages-heading">Languages</h2>
      ${languages.length
        ? html`<${ChartCanvas} label=${`Conversations by language: ${languages.map(([code, n]) => `${languageName(code === 'unknown' ? null : code)} ${n}`).join(', ')}`} config=${byLanguage} />`
        : html`<p class="empty">No conversations in this range.</p>`}
    </section>
  `;
}

export function ReportsScreen({ widgets, widgetId, setWidgetId }) {
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 29 * DAY_MS)));
  const [exportError, setExportError] = useState(null);
  const report = useLoader(() => (widgetId ? api(`${path`/api/widgets/${widgetId}/reports`}?${new URLSearchParams({ from, to })}`) : null), [widgetId, from, to]);

  async function download() {
    setExportError(null);
    try {
      const blob = await apiBlob(`${path`/api/widgets/${widgetId}/conversations.csv`}?${new URLSearchParams({ from, to })}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `conversations-${from}-${to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setExportError(`Could not export: ${describeError(failure)}`);
    }
  }

  if (!widgets.length) return html`<h1 tabindex="-1">Reports</h1><${NoWidgetYet} />`;
  return html`
    <h1 tabindex="-1">Reports</h1>
    <div class="toolbar">
      <${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${setWidgetId} />
      <div class="field inline">
        <label for="report-from">From</label>
        <input id="report-from" type="date" value=${from} max=${to} onChange=${(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
      </div>
      <div class="field inline">
        <label for="report-to">To</label>
        <input id="report-to" type="date" value=${to} min=${from} onChange=${(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
      </div>
      <button type="button" onClick=${download}>Download CSV</button>
    </div>
    <${Alert} message=${exportError} />
    ${report.error ? html`<${Alert} message=${`Could not load the report: ${report.error}`} />` : null}
    ${report.data
      ? html`<section class="panel" aria-label="Figures"><${Figures} report=${report.data} /></section><${Charts} report=${report.data} />`
      : report.error ? null : html`<p class="loading">Loading…</p>`}
  `;
}

/**
 * The report's stylesheet, inlined: no external font, image or style. Colours are variables, set again
 * for a dark colour scheme; the charts' axis and legend text follow them. Below 600 px wide tables
 * and charts scroll in their own box (charts at their own size, so their labels stay legible) and
 * the page itself never scrolls sideways.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;--ink:#0f172a;--ink-2:#334155;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--soft:#f1f5f9;--pass:#047857;--pass-bg:#ecfdf5;--pass-line:#a7f3d0;--fail:#b91c1c;--fail-bg:#fef2f2;--fail-line:#fecaca;--warn:#b45309;--warn-bg:#fffbeb;--accent:#4f46e5;--accent-bg:#eef2ff;--base:#94a3b8;--chart-text:#475569;--chart-line:#cbd5e1}
@media (prefers-color-scheme:dark){:root{--ink:#e2e8f0;--ink-2:#cbd5e1;--muted:#94a3b8;--line:#334155;--bg:#0b1120;--card:#111827;--soft:#1e293b;--pass:#34d399;--pass-bg:#052e24;--pass-line:#065f46;--fail:#f87171;--fail-bg:#3b0d0d;--fail-line:#7f1d1d;--warn:#fbbf24;--warn-bg:#3a2604;--accent:#a5b4fc;--accent-bg:#1e1b4b;--base:#94a3b8;--chart-text:#cbd5e1;--chart-line:#475569}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{max-width:1180px;margin:0 auto;padding:16px 24px 48px}
pre{overflow-x:auto;max-width:100%}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
header.top{display:flex;align-items:baseline;gap:12px;flex-wrap:wrap;padding:10px 0 12px;border-bottom:1px solid var(--line);margin-bottom:14px}
header.top h1{font-size:16px;margin:0;font-weight:650;letter-spacing:-.01em}
header.top .sub{color:var(--muted);font-size:13px}
.hero{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.verdict{border-left:6px solid var(--pass)}
.verdict.failed{border-left-color:var(--fail)}
.verdict .badge{display:inline-block;font-weight:700;font-size:13px;letter-spacing:.04em;text-transform:uppercase;padding:3px 10px;border-radius:999px;background:var(--pass-bg);color:var(--pass)}
.verdict.failed .badge{background:var(--fail-bg);color:var(--fail)}
.verdict.insufficient{border-left-color:var(--warn)}
.verdict.insufficient .badge{background:var(--warn-bg);color:var(--warn)}
.verdict h2{margin:8px 0 6px;font-size:22px;line-height:1.25;letter-spacing:-.015em}
.verdict p.headline{margin:0 0 8px;color:var(--ink-2)}
.strategy h2{margin:8px 0 6px;font-size:22px;letter-spacing:-.015em}
.risk{display:inline-block;font-weight:700;font-size:13px;letter-spacing:.04em;text-transform:uppercase;padding:3px 10px;border-radius:999px;background:var(--accent-bg);color:var(--accent)}
.risk.high{background:var(--fail-bg);color:var(--fail)}.risk.medium{background:var(--warn-bg);color:var(--warn)}.risk.low{background:var(--pass-bg);color:var(--pass)}
ul.checks{list-style:none;margin:6px 0 0;padding:0}
ul.checks li{display:flex;gap:8px;align-items:baseline;padding:3px 0;border-top:1px solid var(--soft)}
ul.checks li>*{min-width:0;overflow-wrap:anywhere}
ul.checks li:first-child{border-top:0}
.st{flex:none;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:1px 7px;border-radius:4px}
.st.passed{background:var(--pass-bg);color:var(--pass)}.st.failed{background:var(--fail-bg);color:var(--fail)}.st.not_measured{background:var(--warn-bg);color:var(--warn)}.st.inconclusive{background:var(--warn-bg);color:var(--warn)}.outcome{display:block;color:var(--muted);font-size:.92em}
.checks .label{font-weight:600}.checks .limit{color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px;margin-top:14px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.tile .k{color:var(--muted);font-size:12px}.tile .v{font-size:18px;font-weight:650;font-variant-numeric:tabular-nums}
.tile .d{font-size:12.5px;font-variant-numeric:tabular-nums}
.worse{color:var(--fail)}.better{color:var(--pass)}
tr.regression td{background:var(--fail-bg)}
nav.toc{margin:16px 0 4px;display:flex;flex-wrap:wrap;gap:6px}
nav.toc a{color:var(--accent);text-decoration:none;font-size:12.5px;padding:2px 9px;border:1px solid var(--line);border-radius:999px;background:var(--card)}
section{margin-top:18px}
section>h2{font-size:16px;margin:0 0 8px;letter-spacing:-.01em}
section .note,.card .note{color:var(--muted);font-size:12.5px;margin:6px 0 0}
.table-scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:10px;background:var(--card)}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:6px 10px;border-top:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600;font-size:12.5px;color:var(--ink-2);border-top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
.chart{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px;overflow-x:auto}
.chart svg{max-width:100%;height:auto;display:block}
.chart .role-axis-label text,.chart .role-axis-title text,.chart .role-legend-label text,.chart .role-legend-title text,.chart .role-column-header text,.chart .role-row-header text{fill:var(--chart-text)}
.chart .role-title-text text{fill:var(--ink)}
.chart .role-axis-grid line{stroke:var(--line)}.chart .role-axis-domain line,.chart .role-axis-tick line{stroke:var(--chart-line)}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin:4px 0 10px}
.chip{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;padding:1px 7px;border-radius:4px;background:var(--soft);border:1px solid var(--line);max-width:100%;overflow-wrap:anywhere}
.chip.lost{background:var(--fail-bg);border-color:var(--fail-line)}.chip.added{background:var(--pass-bg);border-color:var(--pass-line)}
h3{font-size:13.5px;margin:12px 0 4px}
blockquote{margin:4px 0 0;padding:4px 10px;border-left:3px solid var(--line);color:var(--ink-2);background:var(--bg)}
.card,.item,blockquote,.note,dd,p,li,h2,h3{overflow-wrap:anywhere}
blockquote .who{color:var(--muted);font-size:12px;margin-right:6px}
.item{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin-bottom:6px}
.item .meta{color:var(--muted);font-size:12px}
.snippet{position:relative;margin-bottom:10px}
.snippet pre{margin:0;max-height:340px;overflow:auto;background:#0f172a;color:#e2e8f0;border-radius:8px;padding:12px 14px;overflow-x:auto}
.snippet button{position:absolute;top:8px;right:8px;font:600 12px system-ui,sans-serif;padding:4px 10px;border-radius:6px;border:1px solid #334155;background:#1e293b;color:#e2e8f0;cursor:pointer}
.snippet button:hover{background:#334155}
details{margin-top:8px}
summary{cursor:pointer;color:var(--accent);font-weight:600;font-size:13px}
.more{color:var(--muted);font-size:12.5px;margin:6px 0 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
a{color:var(--accent)}
footer{margin-top:28px;color:var(--muted);font-size:12px}
@media (max-width:900px){.hero,.grid2{grid-template-columns:minmax(0,1fr)}.tiles{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media (max-width:600px){main{padding:12px 12px 40px}.tiles{grid-template-columns:minmax(0,1fr)}dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dd{margin-bottom:6px}.chart svg{max-width:none}.verdict h2,.strategy h2{font-size:19px}}
@media print{nav.toc,.snippet button{display:none}body{background:#fff}}
`;

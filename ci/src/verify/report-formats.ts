/**
 * The three files of a report: JUnit XML (for CI test tabs), JSON (for machines) and a
 * Markdown summary (check × image, pass/fail, seconds). The tests read results.json back.
 */
import { summarize, type Report } from "./results.js";

const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");

export function toJUnit(report: Report): string {
  const byImage = groupBy(report.results, (r) => r.image);
  const suites = [...byImage].map(([image, rs]) => {
    const s = summarize(rs);
    const time = rs.reduce((a, r) => a + r.seconds, 0).toFixed(1);
    const cases = rs.map((r) => {
      const head = `    <testcase classname="${xmlEscape(image)}" name="${xmlEscape(r.name)}" time="${r.seconds.toFixed(1)}"`;
      if (r.outcome === "pass") return `${head}/>`;
      if (r.outcome === "skip") return `${head}>\n      <skipped message="${xmlEscape(r.reason ?? "")}"/>\n    </testcase>`;
      const text = [`expected: ${r.expected ?? ""}`, `got: ${r.got ?? ""}`, r.logTail ? `log tail:\n${r.logTail}` : ""].join("\n");
      return `${head}>\n      <failure message="${xmlEscape(r.got ?? "failed")}">${xmlEscape(text)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xmlEscape(image)}" tests="${s.total}" failures="${s.failed}" skipped="${s.skipped}" time="${time}" timestamp="${report.started}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  const all = summarize(report.results);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="s2i-python" tests="${all.total}" failures="${all.failed}" skipped="${all.skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}

export function toJson(report: Report): string {
  return JSON.stringify({ ...report, summary: summarize(report.results) }, null, 2) + "\n";
}

export function toMarkdown(report: Report): string {
  const images = [...new Set(report.results.map((r) => r.image))];
  const names = [...new Set(report.results.map((r) => r.name))];
  const cell = (name: string, image: string) => {
    const r = report.results.find((x) => x.name === name && x.image === image);
    if (!r) return "–";
    const mark = r.outcome === "pass" ? "pass" : r.outcome === "fail" ? "**FAIL**" : "skip";
    return `${mark} (${r.seconds.toFixed(1)} s)`;
  };
  const s = summarize(report.results);
  const lines = [
    `# Sample-app checks`,
    ``,
    `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (started ${report.started})`,
    ``,
    `| app | ${images.join(" | ")} |`,
    `|---|${images.map(() => "---").join("|")}|`,
    ...names.map((n) => `| ${n} | ${images.map((i) => cell(n, i)).join(" | ")} |`),
  ];
  const failures = report.results.filter((r) => r.outcome === "fail");
  if (failures.length) {
    lines.push("", "## Failures");
    for (const f of failures) {
      lines.push("", `### ${f.name} on ${f.image}`, "", `- expected: ${f.expected ?? ""}`, `- got: ${f.got ?? ""}`);
      if (f.logTail) lines.push("", "```", f.logTail, "```");
    }
  }
  return lines.join("\n") + "\n";
}

/** The three files of a report, by name, as the pipeline exports them. */
export function reportFiles(report: Report): Record<string, string> {
  return { "results.xml": toJUnit(report), "results.json": toJson(report), "summary.md": toMarkdown(report) };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}

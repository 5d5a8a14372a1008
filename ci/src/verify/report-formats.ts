/**
 * The three files of a report: JUnit XML (for CI test tabs), JSON (for machines) and a
 * Markdown summary (check × image, each outcome with its seconds). Each shows the four
 * outcomes apart: in JUnit a failure is <failure>, a check that did not run is <error
 * type="not-run"> (it fails the run), a check that does not apply is <skipped>. The tests read
 * results.json back.
 */
import { OUTCOME_WORDS, summarize, summaryLine, type CheckResult, type Report } from "./results.js";

const xmlEscape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");

/** The counting attributes of a <testsuite> or <testsuites>. */
function counts(rs: CheckResult[]): string {
  const s = summarize(rs);
  return `tests="${s.total}" failures="${s.failed}" errors="${s.notRun}" skipped="${s.notApplicable}"`;
}

function testCase(image: string, r: CheckResult): string {
  const head = `    <testcase classname="${xmlEscape(image)}" name="${xmlEscape(r.name)}" time="${r.seconds.toFixed(1)}"`;
  const out = r.observed ? `\n      <system-out>${xmlEscape(r.observed)}</system-out>` : "";
  const body = (inner: string) => `${head}>\n      ${inner}${out}\n    </testcase>`;
  switch (r.outcome) {
    case "pass":
      return out ? `${head}>${out}\n    </testcase>` : `${head}/>`;
    case "not-applicable":
      return body(`<skipped message="${xmlEscape(`not applicable: ${r.reason ?? ""}`)}"/>`);
    case "not-run":
      return body(`<error type="not-run" message="${xmlEscape(`not run: ${r.reason ?? ""}`)}"/>`);
    case "fail": {
      const text = [`expected: ${r.expected ?? ""}`, `got: ${r.got ?? ""}`, r.logTail ? `log tail:\n${r.logTail}` : ""].join("\n");
      return body(`<failure message="${xmlEscape(r.got ?? "failed")}">${xmlEscape(text)}</failure>`);
    }
  }
}

export function toJUnit(report: Report): string {
  const suites = [...groupBy(report.results, (r) => r.image)].map(([image, rs]) => {
    const time = rs.reduce((a, r) => a + r.seconds, 0).toFixed(1);
    const cases = rs.map((r) => testCase(image, r));
    return `  <testsuite name="${xmlEscape(image)}" ${counts(rs)} time="${time}" timestamp="${report.started}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="s2i-python" ${counts(report.results)}>\n${suites.join("\n")}\n</testsuites>\n`;
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
    const word = r.outcome === "pass" || r.outcome === "not-applicable" ? OUTCOME_WORDS[r.outcome] : `**${OUTCOME_WORDS[r.outcome]}**`;
    return r.outcome === "pass" || r.outcome === "fail" ? `${word} (${r.seconds.toFixed(1)} s)` : word;
  };
  const lines = [
    `# Checks`,
    ``,
    `${summaryLine(summarize(report.results))} (started ${report.started})`,
    ...(report.incomplete ? [``, `**INCOMPLETE**: ${report.incomplete}`] : []),
    ...(report.images ?? []).map((i) => `\nTested image: ${i.image} (${i.platform}): files ${i.rootfs}, settings ${i.settings}`),
    ``,
    `| check | ${images.join(" | ")} |`,
    `|---|${images.map(() => "---").join("|")}|`,
    ...names.map((n) => `| ${n} | ${images.map((i) => cell(n, i)).join(" | ")} |`),
  ];
  const failures = report.results.filter((r) => r.outcome === "fail");
  if (failures.length) lines.push("", "## Failures");
  for (const f of failures) {
    lines.push("", `### ${f.name} on ${f.image}`, "", `- expected: ${f.expected ?? ""}`, `- got: ${f.got ?? ""}`);
    if (f.logTail) lines.push("", "```", f.logTail, "```");
  }
  const list = (title: string, rs: CheckResult[], text: (r: CheckResult) => string | undefined) => {
    if (rs.length) lines.push("", `## ${title}`, "", ...rs.map((r) => `- ${r.name} on ${r.image}: ${text(r) ?? ""}`));
  };
  list(
    "Not run",
    report.results.filter((r) => r.outcome === "not-run"),
    (r) => r.reason,
  );
  list(
    "Not applicable",
    report.results.filter((r) => r.outcome === "not-applicable"),
    (r) => r.reason,
  );
  list(
    "Observed",
    report.results.filter((r) => r.observed),
    (r) => r.observed,
  );
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

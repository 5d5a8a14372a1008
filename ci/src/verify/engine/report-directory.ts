import { dag, type Directory } from "@dagger.io/dagger";
import { reportFiles } from "../report-formats.js";
import { UsageError } from "../../errors.js";
import { judgeReportJson, parseReportJson, type Report } from "../results.js";

/** The report as a Directory: results.xml (JUnit), results.json, summary.md. */
export function reportDirectory(report: Report): Directory {
  let dir = dag.directory();
  for (const [name, content] of Object.entries(reportFiles(report))) dir = dir.withNewFile(name, content);
  return dir;
}

/** Judges a report exported earlier (its results.json): the same verdict as a failing test run. */
export async function judgeReportDirectory(report: Directory): Promise<string> {
  return judgeReportJson(await report.file("results.json").contents());
}

/** A report folder given to publish --report, read back; a UsageError when it holds no results.json. */
export async function readReportDirectory(report: Directory): Promise<Report> {
  if (!(await report.entries()).includes("results.json")) throw new UsageError("--report: the folder holds no results.json (give the folder test exported)");
  return parseReportJson(await report.file("results.json").contents());
}

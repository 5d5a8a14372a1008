import { parse } from "yaml";
import { SpecError } from "../errors.js";
import type { SourceReader } from "./source.js";

/**
 * The one reader of the project's YAML files (specs/*.yml, templates/layout.yml): the parsed
 * document, or a SpecError naming the file when it cannot be read or is not YAML.
 */
export async function readYaml(source: SourceReader, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await source.read(file);
  } catch (e) {
    throw new SpecError(file, "", "a readable file", (e as Error).message);
  }
  try {
    return parse(text, { merge: true });
  } catch (e) {
    throw new SpecError(file, "", "valid YAML", (e as Error).message.split("\n")[0]);
  }
}

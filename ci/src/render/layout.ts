import { SpecError } from "../errors.js";
import { readYaml } from "../spec/yaml.js";
import { Fields } from "../spec/fields.js";
import type { SourceReader } from "../spec/source.js";
import type { Target } from "../spec/types.js";
import { flavorOf } from "./vars.js";

export const LAYOUT_FILE = "templates/layout.yml";

/** One rule of templates/layout.yml: which template becomes which file, for which targets. */
export interface LayoutRule {
  template: string;
  /** Destination under <version key>/; a Handlebars string (may name the distro's Dockerfile suffix). */
  dest: string;
  mode: number;
  /** "<image>/<flavor>" selectors, "*" for any part; the rule applies when one matches. */
  only: string[];
  /** Whether the file is part of the image's build context. */
  context: boolean;
}

const SELECTOR = /^(full|minimal|\*)\/(rpm|rpm-micro|deb|\*)$/;

export async function loadLayout(source: SourceReader): Promise<LayoutRule[]> {
  const top = Fields.of(LAYOUT_FILE, "", await readYaml(source, LAYOUT_FILE));
  const raw = top.child("files");
  top.done();
  return raw.keys().map((template) => {
    const f = raw.child(template);
    const only = f.stringList("only", ["*/*"]);
    only.forEach((sel, i) => {
      if (!SELECTOR.test(sel)) throw new SpecError(LAYOUT_FILE, `files.${template}.only[${i}]`, "<full|minimal|*>/<rpm|rpm-micro|deb|*>", sel);
    });
    const rule: LayoutRule = {
      template,
      dest: f.string("dest"),
      mode: parseInt(f.optionalString("mode", /^0[0-7]{3}$/, 'an octal mode such as "0755"') ?? "0644", 8),
      only,
      context: f.optionalBoolean("context", false),
    };
    f.done();
    return rule;
  });
}

export function ruleApplies(rule: LayoutRule, t: Target): boolean {
  const image = t.version.minimal ? "minimal" : "full";
  return rule.only.some((sel) => {
    const [i, flavor] = sel.split("/");
    return (i === "*" || i === image) && (flavor === "*" || flavor === flavorOf(t));
  });
}

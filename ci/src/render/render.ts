import Handlebars from "handlebars";
import { TemplateError } from "../errors.js";
import type { SourceReader } from "../spec/source.js";
import type { Spec, Target } from "../spec/types.js";
import { templateVars } from "./vars.js";
import { helpers } from "./helpers.js";
import { loadLayout, ruleApplies, type LayoutRule } from "./layout.js";
import { activeTemplateCache, TemplateCache } from "./template-cache.js";

/** A rendered file: its path in the build tree (starting with the version key), text and mode. */
export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  /** Part of the image's build context (the rest are docs and test files). */
  context: boolean;
}

const TEMPLATE_ROOT = "templates/";
/**
 * Partials: the README's example Dockerfiles (examples/*), which the test Dockerfiles include too;
 * the description and labels of every Dockerfile; the minimal RPM final stage; shared RUN flags.
 */
const PARTIALS_DIR = "templates/partials/";

type Compiled = Handlebars.TemplateDelegate;

/**
 * Renders targets from the Handlebars templates. Loading reads and compiles every template
 * once; rendering is then pure: the same target gives the same bytes and touches nothing.
 */
export class Renderer {
  private constructor(
    private readonly spec: Spec,
    private readonly layout: LayoutRule[],
    private readonly templates: Map<string, Compiled>,
    private readonly hbs: typeof Handlebars,
  ) {}

  static async load(source: SourceReader, spec: Spec): Promise<Renderer> {
    const hbs = Handlebars.create();
    hbs.registerHelper(helpers);
    const layout = await loadLayout(source);
    const files = (await source.list("templates")).filter((p) => p.endsWith(".hbs"));
    const templates = new Map<string, Compiled>();
    for (const path of files) {
      const text = await source.read(path);
      const name = path.slice(TEMPLATE_ROOT.length);
      if (path.startsWith(PARTIALS_DIR)) {
        hbs.registerPartial(path.slice(PARTIALS_DIR.length).replace(/(\.Dockerfile)?\.hbs$/, ""), compile(hbs, path, text));
      } else {
        templates.set(name, compile(hbs, path, text));
      }
    }
    for (const rule of layout) {
      if (!templates.has(rule.template)) throw new TemplateError(`templates/layout.yml names ${rule.template}, which is not a file under templates/`);
      templates.set(`dest:${rule.template}`, compile(hbs, `templates/layout.yml (dest of ${rule.template})`, rule.dest));
    }
    return new Renderer(spec, layout, templates, hbs);
  }

  /** Every file of one target's tree, paths prefixed with the version key, sorted by path. */
  renderTarget(t: Target): RenderedFile[] {
    const ctx = templateVars(this.spec, t);
    const out: RenderedFile[] = [];
    for (const rule of this.layout) {
      if (!ruleApplies(rule, t)) continue;
      const dest = run(this.templates.get(`dest:${rule.template}`)!, `templates/layout.yml (dest of ${rule.template})`, ctx);
      const content = run(this.templates.get(rule.template)!, TEMPLATE_ROOT + rule.template, ctx);
      out.push({ path: `${t.version.key}/${dest}`, content, mode: rule.mode, context: rule.context });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Only what building this one image needs: its Dockerfile and the files it COPYs. */
  buildContext(t: Target): RenderedFile[] {
    return this.renderTarget(t).filter((f) => f.context);
  }
}

// Frozen, and copied for each call: Handlebars' precompile adds `data: true` to the object it is given.
const COMPILE_OPTIONS = Object.freeze({ strict: true, noEscape: true, preventIndent: true });

/**
 * Parses a template now, so that a syntax error names its template and line at load time, and
 * compiles it once: hbs.compile turns the parsed tree into code on first use (a template no
 * target uses is never compiled). parseWithoutProcessing, not parse: compile applies the
 * whitespace rules itself. With the CLI's template cache on (template-cache.ts), the code is
 * Handlebars' precompiled form instead, taken from the cache or compiled once and kept there.
 */
function compile(hbs: typeof Handlebars, path: string, text: string): Compiled {
  try {
    const cache = activeTemplateCache();
    if (!cache) return hbs.compile(hbs.parseWithoutProcessing(text), { ...COMPILE_OPTIONS });
    const key = TemplateCache.key(Handlebars.VERSION, COMPILE_OPTIONS, text);
    let code = cache.get(key);
    if (code === undefined) {
      code = hbs.precompile(hbs.parseWithoutProcessing(text), { ...COMPILE_OPTIONS }) as unknown as string;
      cache.put(key, code);
    }
    return hbs.template(new Function(`return ${code};`)() as TemplateSpecification);
  } catch (e) {
    throw new TemplateError(`${path}: ${oneLine((e as Error).message)}`);
  }
}

function run(tpl: Compiled, path: string, ctx: object): string {
  try {
    return tpl(ctx);
  } catch (e) {
    throw new TemplateError(`${path}: ${oneLine((e as Error).message)}`);
  }
}

/** Handlebars messages span lines (a code excerpt with a caret); keep the informative part on one line. */
function oneLine(msg: string): string {
  return msg
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^-*\^$/.test(l))
    .join(" | ");
}

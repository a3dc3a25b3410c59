/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is
 * `# HELP`, `# TYPE` or a sample of a family declared above it; anything else throws.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = HELP.exec(line);
    if (help) {
      helps.set(help[1] ?? '', help[2] ?? '');
      continue;
    }
    const type = TYPE.exec(line);
    if (type) {
      const name = type[1] ?? '';
      const declared = helps.get(name);
      if (declared === undefined) throw new Error(`# TYPE before # HELP: ${line}`);
      families.set(name, { name, help: declared, type: type[2] as Family['type'], samples: [] });
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const name = sample[1] ?? '';
    const family = familyOf(families, name);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    const value = Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== 'NaN') throw new Error(`bad value: ${line}`);
    family.samples.push({ name, labels: parseLabels(sample[2] ?? '', line), value });
  }
  return families;
}

function familyOf(families: Map<string, Family>, sampleName: string): Family | undefined {
  for (const family of families.values()) {
    if (SUFFIXES[family.type].some((suffix) => `${family.name}${suffix}` === sampleName)) {
      return family;
    }
  }
  return undefined;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`bad labels: ${line}`);
    labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return labels;
}

/** The value of the one sample named `sampleName` whose labels include `labels` (undefined: none). */
export function sampleValue(
  families: Map<string, Family>,
  sampleName: string,
  labels: Record<string, string> = {},
): number | undefined {
  const family = familyOf(families, sampleName);
  const found = family?.samples.filter(
    (sample) =>
      sample.name === sampleName &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found && found.length > 1) throw new Error(`${found.length} samples of ${sampleName} match`);
  return found?.[0]?.value;
}

/** One way a payload breaks Slack's rules, located by a JSON pointer as Slack reports it. */
export interface Problem {
  /** e.g. `/view/title/text` or `/blocks/3/elements`. */
  pointer: string;
  /** Worded like Slack's own messages, e.g. `must be less than 25 characters`. */
  message: string;
  /** Errors make Slack refuse the call; warnings are accepted but worth knowing. */
  severity: 'error' | 'warning';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface TextRule {
  max: number;
  min?: number;
  required?: boolean;
  /** Title, header, label, option texts… only accept `plain_text`. */
  plainOnly?: boolean;
}

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Collects problems while the validator walks a payload; never throws. */
export class Findings {
  readonly problems: Problem[] = [];

  error(pointer: string, message: string): void {
    this.problems.push({ pointer, message, severity: 'error' });
  }

  warn(pointer: string, message: string): void {
    this.problems.push({ pointer, message, severity: 'warning' });
  }

  /** A composition text object `{ type, text }`, with its length measured on `text`. */
  text(value: unknown, pointer: string, rule: TextRule): void {
    if (value === undefined || value === null) {
      if (rule.required) this.error(pointer, 'missing required field');
      return;
    }
    if (!isRecord(value)) {
      this.error(pointer, 'must provide an object');
      return;
    }
    if (value.type !== 'plain_text' && (rule.plainOnly || value.type !== 'mrkdwn')) {
      const allowed = rule.plainOnly ? 'plain_text' : 'plain_text, mrkdwn';
      this.error(`${pointer}/type`, `must be one of: ${allowed}`);
    }
    this.string(value.text, `${pointer}/text`, { ...rule, required: true });
  }

  string(value: unknown, pointer: string, rule: StringRule): void {
    if (value === undefined || value === null) {
      if (rule.required) this.error(pointer, 'missing required field');
      return;
    }
    if (typeof value !== 'string') {
      this.error(pointer, 'must be a string');
      return;
    }
    if (value.length > rule.max)
      this.error(pointer, `must be less than ${rule.max + 1} characters`);
    const min = rule.min ?? 0;
    if (value.length < min) this.error(pointer, `must be more than ${min - 1} characters`);
  }

  /** Returns the array (or `[]`) so callers can go on walking it. */
  items(value: unknown, pointer: string, max: number, min = 0): unknown[] {
    if (!Array.isArray(value)) {
      this.error(pointer, 'must provide an array');
      return [];
    }
    if (value.length > max) this.error(pointer, `no more than ${max} items allowed`);
    if (value.length < min) this.error(pointer, `must provide at least ${min} items`);
    return value;
  }

  integer(value: unknown, pointer: string, min: number, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.error(pointer, 'must be an integer');
    } else if (value < min || value > max) {
      this.error(pointer, `must be between ${min} and ${max}`);
    }
  }
}

/** Renders problems the way Slack puts them in `response_metadata.messages`. */
export function toSlackMessages(problems: readonly Problem[]): string[] {
  return problems.map(
    (p) =>
      `[${p.severity === 'error' ? 'ERROR' : 'WARN'}] ${p.message} [json-pointer:${p.pointer}]`,
  );
}

export function errorsOnly(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

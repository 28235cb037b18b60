import type { z } from 'zod';

/**
 * A validate-only twin of an ARM schema. zod's parse builds a stripped copy of every resource, which
 * `parseArmResource` throws away (it keeps the input): on a 10,000-VM file those copies were a large share of the
 * run's allocations and garbage collection. The ARM schemas only check types (no transforms, refinements or
 * defaults), so a compiled predicate over the same schema answers "valid?" without allocating. Invalid input still
 * goes through zod, so errors are zod's, word for word. A schema using anything else compiles to null: zod decides.
 */
type Check = (value: unknown) => boolean;

const compiled = new WeakMap<z.ZodType, Check | null>();

export function fastValidator(schema: z.ZodType): Check | null {
  if (!compiled.has(schema)) compiled.set(schema, compile(schema));
  return compiled.get(schema)!;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  checks?: unknown[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function compile(schema: z.ZodType): Check | null {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  // Refinements (string formats, number bounds) live in `checks`: leave those schemas to zod.
  if (def.checks && def.checks.length > 0) return null;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'optional': {
      const inner = compile(def.innerType!);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return inner && ((v) => v === null || inner(v));
    }
    case 'array': {
      const element = compile(def.element!);
      return (
        element &&
        ((v) => {
          if (!Array.isArray(v)) return false;
          for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
          return true;
        })
      );
    }
    case 'union': {
      const options = def.options!.map(compile);
      if (options.some((o) => o === null)) return null;
      return (v) => options.some((o) => o!(v));
    }
    case 'record': {
      const keyType = (def.keyType as unknown as { _zod: { def: Def } })._zod.def;
      const value = compile(def.valueType!);
      if (keyType.type !== 'string' || (keyType.checks?.length ?? 0) > 0 || !value) return null;
      return (v) => {
        if (!isRecord(v)) return false;
        for (const key in v) if (!value(v[key])) return false;
        return true;
      };
    }
    case 'object': {
      const entries: [string, Check][] = [];
      for (const [key, child] of Object.entries(def.shape!)) {
        const check = compile(child);
        if (!check) return null;
        entries.push([key, check]);
      }
      return (v) => {
        if (!isRecord(v)) return false;
        for (let i = 0; i < entries.length; i++) if (!entries[i]![1](v[entries[i]![0]])) return false;
        return true;
      };
    }
    default:
      return null;
  }
}

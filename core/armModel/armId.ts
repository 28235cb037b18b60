/**
 * ARM resource ids are case-insensitive and are the only safe join key between resources (names repeat across
 * resource groups). Every comparison goes through `idKey`; the original spelling is kept for display.
 */
export function idKey(id: string): string {
  // Hot path (every join of every VM): ids as ARM writes them need neither the trim nor the regex.
  const last = id.charCodeAt(id.length - 1);
  if (last !== 47 /* / */ && last > 32 && id.charCodeAt(0) > 32) return id.toLowerCase();
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

export interface ParsedArmId {
  subscriptionId: string | null;
  resourceGroup: string | null;
  /** `provider/type[/childType...]`, lower-cased, e.g. `microsoft.compute/virtualmachines`. */
  type: string | null;
  name: string | null;
}

/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{child}/{name}]...`. */
export function parseArmId(id: string): ParsedArmId {
  // Hot path (every VM, disk and NIC of a fleet): ids as ARM writes them need no trim or regex, only the split.
  const first = id.charCodeAt(0);
  const last = id.charCodeAt(id.length - 1);
  const plain = first > 32 && last > 32 && last !== 47; /* / */
  // A second leading slash is left to the loop, which steps over the empty segment it makes.
  const bare = plain ? (first === 47 ? id.slice(1) : id) : id.trim().replace(/^\/+|\/+$/g, '');
  const parts = bare.split('/');
  let subscriptionId: string | null = null;
  let resourceGroup: string | null = null;
  let type: string | null = null;
  let name: string | null = null;
  for (let i = 0; i + 1 < parts.length; ) {
    const segment = parts[i]!;
    if (subscriptionId === null && isSegment(segment, 'subscriptions')) {
      subscriptionId = parts[i + 1]!;
      i += 2;
    } else if (resourceGroup === null && isSegment(segment, 'resourcegroups')) {
      resourceGroup = parts[i + 1]!;
      i += 2;
    } else if (i + 3 < parts.length && isSegment(segment, 'providers')) {
      // A nested `providers` (extension resources such as locks) restarts the type.
      type = `${parts[i + 1]}/${parts[i + 2]}`.toLowerCase();
      name = parts[i + 3]!;
      i += 4;
      while (i + 1 < parts.length && !isSegment(parts[i]!, 'providers')) {
        type += `/${parts[i]!.toLowerCase()}`;
        name = parts[i + 1]!;
        i += 2;
      }
    } else {
      i += 1;
    }
  }
  return { subscriptionId, resourceGroup, type, name };
}

/** Case-insensitive `segment === lowerCaseName`, lower-casing (a copy) only segments of the right length. */
function isSegment(segment: string, lowerCaseName: string): boolean {
  return segment.length === lowerCaseName.length && (segment === lowerCaseName || segment.toLowerCase() === lowerCaseName);
}

/** The prefix of `id` up to and including the first `/{segment}/{name}` pair whose segment is `segment`. */
export function idPrefixThrough(id: string, segment: string): string | null {
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase());
  if (at < 0 || at + 1 >= parts.length) return null;
  return parts.slice(0, at + 2).join('/');
}

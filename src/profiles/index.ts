import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { genericProfile } from './generic.js';
import { linuxProfile } from './linux.js';
import type { Profile } from './profile.js';

export type { Profile } from './profile.js';

const known: Profile[] = [linuxProfile];

/** The first profile whose marker paths all exist under root, else the generic one. */
export function detectProfile(root: string): Profile {
  return known.find((p) => p.markers.every((m) => existsSync(join(root, m)))) ?? genericProfile;
}

/** A profile by name (worker threads receive names, not tables). */
export function profileNamed(name: string): Profile {
  return [...known, genericProfile].find((p) => p.name === name) ?? genericProfile;
}

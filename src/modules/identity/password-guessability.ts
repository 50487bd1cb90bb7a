import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as fr from '@zxcvbn-ts/language-fr';

/**
 * zxcvbn, offline. Its dictionaries are ranked once, on the first password checked (not at start).
 * Cost is bounded: only the first 64 characters are analysed (a longer password is not short of
 * guesses) and at most 4 l33t substitutions are tried, so a check takes milliseconds whatever is typed.
 * Wikipedia's French word list is left out: ten times the cost for words the common-word list has.
 */
let factory: ZxcvbnFactory | undefined;
const frenchWords = Object.fromEntries(Object.entries(fr.dictionary).filter(([name]) => name !== 'wikipedia-fr'));

function zxcvbn(): ZxcvbnFactory {
  // language-common ships qwerty, azerty, qwertz, dvorak and keypad adjacency graphs.
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...frenchWords },
    graphs: common.adjacencyGraphs,
    translations: fr.translations,
    maxLength: 64,
    l33tMaxSubstitutions: 4,
  });
  return factory;
}

/** Ranks the dictionaries now (about a second), so that the first person to choose a password does not wait. */
export function warmUpPasswordCheck(): void {
  zxcvbn().check('Rechauffage-Controle-2026');
}

/** Score 4: at least 10¹⁰ guesses. */
const MIN_SCORE = 4;

/** Why a password is easy to guess, or null when it is not. */
export function guessability(password: string): 'password_common' | 'password_pattern' | null {
  const result: ZxcvbnResult = zxcvbn().check(password);
  if (result.score >= MIN_SCORE) return null;
  // The sequence zxcvbn found: a dictionary word (possibly l33t or reversed) means a known password or word.
  const patterns = new Set(result.sequence.map((m) => m.pattern));
  return patterns.has('dictionary') && !patterns.has('spatial') && !patterns.has('repeat') ? 'password_common' : 'password_pattern';
}

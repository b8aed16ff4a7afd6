import type { PromiseEvaluation } from '@trustledger/schema';
import { addBeta, type BetaAcc, type HalfLives } from './beta.ts';

/**
 * Transparency evidence of one slip (any outcome but KEPT_ON_TIME and CANCELLED): announced in
 * advance → positive 1, else negative 1, decayed like reliability (DESIGN §3 "Transparency").
 */
export function addSlip(acc: BetaAcc, ev: PromiseEvaluation, subject: string, at: number, seq: number, h: HalfLives): void {
  if (ev.outcome === null || ev.outcome === 'KEPT_ON_TIME' || ev.outcome === 'CANCELLED') return;
  if (ev.announced) addBeta(acc, 1, 0, at, seq, `${subject}: slip announced in advance`, h);
  else addBeta(acc, 0, 1, at, seq, `${subject}: slip not announced in advance`, h);
}

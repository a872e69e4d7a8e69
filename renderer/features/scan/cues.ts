/**
 * Sound cues for scan-to-print, so a worker hears the result without looking: one short high beep for
 * printed, two low beeps for blocked, one long low buzz for not found. Synthesised (WebAudio), no files.
 */
export type Cue = 'ok' | 'blocked' | 'not_found';

let ctx: AudioContext | null = null;

export function playCue(cue: Cue): void {
  try {
    ctx ??= new AudioContext();
    const tones: Array<[number, number, number]> =
      cue === 'ok'
        ? [[1320, 0, 0.12]]
        : cue === 'blocked'
          ? [
              [330, 0, 0.15],
              [330, 0.22, 0.15],
            ]
          : [[180, 0, 0.5]];
    for (const [freq, at, len] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = cue === 'ok' ? 'sine' : 'square';
      osc.frequency.value = freq;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + len);
    }
  } catch {
    // No audio device: the colour and the text still tell.
  }
}

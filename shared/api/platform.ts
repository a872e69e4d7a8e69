/** The platform side's own controls: its clock, movable only in test mode (HUB_TEST_CLOCK=1). */
import { z } from 'zod';
import { IsoTimeSchema } from './common.ts';

export const PlatformClockRequestSchema = z.strictObject({ now: IsoTimeSchema });
export const PlatformClockResponseSchema = z.strictObject({ now: z.string() });

export type PlatformClockRequest = z.infer<typeof PlatformClockRequestSchema>;

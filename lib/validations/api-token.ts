import { z } from 'zod';
import { API_TOKEN } from '~/lib/config';

export const createApiTokenSchema = z.object({
  name: z
    .string({ error: 'Give the token a name' })
    .trim()
    .min(1, 'Give the token a name')
    .max(API_TOKEN.nameMaxLength, `At most ${API_TOKEN.nameMaxLength} characters`),
});

export const apiTokenIdSchema = z.uuid({ error: 'Unknown token' });

/**
 * Zod shapes shared by the regions and anonymise routes (the engines may not import src/http, so the artifact
 * and warning shapes are declared here; they document, they do not filter).
 */
import { z } from 'zod';
import { ArtifactResponseSchema, WarningResponseSchema } from '../../response-schemas.js';
import { REGION_NAMES } from './types.js';

export const RegionNameSchema = z.enum(REGION_NAMES as unknown as ['face', 'eyes', 'mouth']);

export const EngineArtifactSchema = ArtifactResponseSchema;

export const WarningSchema = WarningResponseSchema;

export const ArtifactIdParamsSchema = z.object({ artifact_id: z.string().min(1).max(128) });

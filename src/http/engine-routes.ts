/**
 * The route modules beyond the core (media, projects, timeline): render and each engine's routes.ts. One list,
 * used by `cutroom serve` and by the tests, so both run the same app.
 */
import { audioSemanticRoutes } from '../engines/audio-semantic/routes.js';
import { visualMetaRoutes } from '../engines/visual-meta/routes.js';
import type { Services } from '../media/services.js';
import { presetsRoutes } from './routes/presets.js';
import { renderRoutes } from './routes/render.js';
import type { RouteModule } from './types.js';

export function engineRoutes(): Array<RouteModule<Services>> {
  return [renderRoutes, presetsRoutes, visualMetaRoutes, audioSemanticRoutes];
}

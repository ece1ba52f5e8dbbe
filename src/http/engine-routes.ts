/**
 * The route modules beyond the core (media, projects, timeline): render and each engine's routes.ts. One list,
 * used by `cutroom serve` and by the tests, so both run the same app.
 */
import { anonymiseRoutes } from '../engines/anonymise/routes.js';
import { audioSemanticRoutes } from '../engines/audio-semantic/routes.js';
import { autoCutRoutes } from '../engines/autocut/routes.js';
import { captionsRoutes } from '../engines/captions/routes.js';
import { focusRoutes } from '../engines/focus/routes.js';
import { highlightsRoutes } from '../engines/highlights/routes.js';
import { multicamRoutes } from '../engines/multicam/routes.js';
import { regionsRoutes } from '../engines/regions/routes.js';
import { stabiliseRoutes } from '../engines/stabilise/routes.js';
import { transcriptEditRoutes } from '../engines/transcript-edit/routes.js';
import { visualMetaRoutes } from '../engines/visual-meta/routes.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Services } from '../media/services.js';
import { interchangeRoutes } from './routes/interchange.js';
import { presetsRoutes } from './routes/presets.js';
import { previewRoutes } from './routes/preview.js';
import { renderRoutes } from './routes/render.js';
import { renderJobRoutes } from './routes/render-jobs.js';
import { templateRoutes } from './routes/templates.js';
import { timelineVisualsRoutes } from './routes/timeline-visuals.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { RenderJobRoutesOptions } from './routes/render-jobs.js';
import type { RouteModule } from './types.js';

/**
 * With a job queue, the render job routes (POST /video/render, /video/render/jobs…) are mounted too, with the
 * webhook dispatcher (`webhooks`: policy and delivery tuning, default CUTROOM_WEBHOOK_ALLOW from the environment).
 */
export function engineRoutes(
  opts: { queue?: JobQueue; webhooks?: RenderJobRoutesOptions['webhooks'] } = {},
): Array<RouteModule<Services>> {
  return [
    renderRoutes,
    presetsRoutes,
    previewRoutes,
    visualMetaRoutes,
    audioSemanticRoutes,
    captionsRoutes,
    multicamRoutes,
    regionsRoutes,
    anonymiseRoutes,
    stabiliseRoutes,
    autoCutRoutes,
    highlightsRoutes,
    focusRoutes,
    timelineVisualsRoutes,
    transcriptEditRoutes,
    interchangeRoutes,
    webhookRoutes,
    ...(opts.queue
      ? [renderJobRoutes({ queue: opts.queue, ...(opts.webhooks ? { webhooks: opts.webhooks } : {}) })]
      : []),
    templateRoutes({
      ...(opts.queue ? { queue: opts.queue } : {}),
      ...(opts.webhooks?.policy ? { webhookPolicy: opts.webhooks.policy } : {}),
    }),
  ];
}

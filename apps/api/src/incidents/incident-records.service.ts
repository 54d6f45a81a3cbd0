import { Inject, Injectable } from '@nestjs/common';
import type { IncidentSuspects, IncidentTimeline } from '@flightdeck/contracts';
import { renderIncidentMarkdown } from './incident-markdown.js';
import { IncidentSuspectsService } from './incident-suspects.service.js';
import { IncidentTimelineService } from './incident-timeline.service.js';
import { mapIncident } from './incidents.mappers.js';
import { IncidentsService } from './incidents.service.js';

// Reads of what happened around an incident: the timeline, its Markdown export and the suspects.
@Injectable()
export class IncidentRecordsService {
  constructor(
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(IncidentTimelineService) private readonly timelines: IncidentTimelineService,
    @Inject(IncidentSuspectsService) private readonly suspectList: IncidentSuspectsService,
  ) {}

  async timeline(id: string): Promise<IncidentTimeline> {
    return this.timelines.timeline(await this.incidents.require(id));
  }

  async markdown(id: string): Promise<{ reference: string; markdown: string }> {
    const row = await this.incidents.require(id);
    const now = new Date();
    const incident = mapIncident(row, now);
    const timeline = await this.timelines.timeline(row, now);
    return { reference: incident.reference, markdown: renderIncidentMarkdown(incident, timeline.items) };
  }

  async suspects(id: string, windowMinutes: number): Promise<IncidentSuspects> {
    return this.suspectList.suspects(await this.incidents.require(id), windowMinutes);
  }
}

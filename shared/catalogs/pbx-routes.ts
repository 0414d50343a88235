import type { HttpMethod } from '../domain/catalog/catalog-types.js';

/** One scope's section of a vendor route table: the scope, what it grants, and its routes. */
export interface ScopeSection {
  readonly scope: string;
  readonly description: string;
  readonly routes: ReadonlyArray<readonly [HttpMethod, string]>;
}

/**
 * The PBX API routes that accept company API keys, transcribed from seed 002
 * ("How to Use API Keys on the PBX API", last updated 2026-05-28): 109 routes across 25 scopes.
 * GET/HEAD routes need `{resource}:read`, all others `{resource}:*`; all belong to the umbrella group `pbx`.
 */
export const PBX_SCOPE_SECTIONS: readonly ScopeSection[] = [
  {
    scope: 'aclgroups:read',
    description: 'View ACL groups',
    routes: [
      ['GET', '/api/v1/pbx/aclgroups/'],
      ['GET', '/api/v1/pbx/aclgroups/permissions/'],
      ['GET', '/api/v1/pbx/aclgroups/rules/'],
    ],
  },
  {
    scope: 'aclgroups:*',
    description: 'Full access to ACL groups, including viewing, creating, editing, and deleting',
    routes: [['POST', '/api/v1/pbx/aclgroups/']],
  },
  {
    scope: 'callcontrol:read',
    description: 'View call control state',
    routes: [
      ['GET', '/api/v2/call-control/list-calls/'],
      ['GET', '/api/v2/call-control/list-devices/'],
    ],
  },
  {
    scope: 'callcontrol:*',
    description: 'Control active calls',
    routes: [
      ['POST', '/api/v2/call-control/answer/'],
      ['POST', '/api/v2/call-control/attendant-transfer/'],
      ['POST', '/api/v2/call-control/blind-transfer/'],
      ['POST', '/api/v2/call-control/dtmf/'],
      ['POST', '/api/v2/call-control/hangup/'],
      ['POST', '/api/v2/call-control/hold/'],
      ['POST', '/api/v2/call-control/make-call/'],
      ['PUT', '/api/v2/call-control/set-active-device/'],
      ['POST', '/api/v2/call-control/unhold/'],
      ['POST', '/api/v2/call-control/update-contact-info/'],
    ],
  },
  {
    scope: 'callgroups:read',
    description: 'View call groups',
    routes: [
      ['GET', '/api/v1/dialplan/callgroups/'],
      ['GET', '/api/v1/dialplan/callgroups/{id}/stat/'],
      ['GET', '/api/v1/pbx/settings/callqueues/'],
      ['GET', '/api/v1/pbx/settings/callqueues/{id}/'],
    ],
  },
  {
    scope: 'callgroups:*',
    description: 'Full access to call groups, including viewing, creating, editing, and deleting',
    routes: [
      ['POST', '/api/v1/dialplan/callgroups/'],
      ['DELETE', '/api/v1/dialplan/callgroups/{id}/'],
      ['PUT', '/api/v1/dialplan/callgroups/{id}/'],
      ['POST', '/api/v1/pbx/settings/callqueues/{id}/members/dynamic/'],
      ['DELETE', '/api/v1/pbx/settings/callqueues/{id}/members/dynamic/{member}/'],
    ],
  },
  {
    scope: 'callhistory:read',
    description: 'View call history',
    routes: [['GET', '/api/v1/pbx/callhistory/']],
  },
  {
    scope: 'colleagues:read',
    description: 'View colleagues and their settings',
    routes: [
      ['GET', '/api/v1/colleagues/'],
      ['GET', '/api/v1/colleagues/{id}/'],
      ['GET', '/api/v1/pbx/colleagues/'],
      ['GET', '/api/v1/pbx/colleagues/{id}/'],
    ],
  },
  {
    scope: 'colleagues:*',
    description: 'Full access to colleagues, including viewing, creating, editing, and deleting',
    routes: [
      ['POST', '/api/v1/pbx/colleagues/'],
      ['DELETE', '/api/v1/pbx/colleagues/{id}/'],
      ['PUT', '/api/v1/pbx/colleagues/{id}/'],
      ['PUT', '/api/v1/pbx/colleagues/{id}/preferences/'],
      ['PUT', '/api/v1/pbx/presence/'],
    ],
  },
  {
    scope: 'devices:read',
    description: 'View devices and device settings',
    routes: [
      ['GET', '/api/v1/devices/'],
      ['GET', '/api/v1/devices/verify/'],
    ],
  },
  {
    scope: 'devices:*',
    description:
      'Full access to devices, including viewing, creating, editing, deleting, and device operations',
    routes: [
      ['POST', '/api/v1/device/resettoken/'],
      ['POST', '/api/v1/devices/'],
      ['POST', '/api/v1/devices/scan/'],
    ],
  },
  {
    scope: 'dialplan:read',
    description: 'View dialplans and routing rules',
    routes: [
      ['GET', '/api/v1/dialplan/generalsettings/'],
      ['GET', '/api/v1/dialplan/ivr/'],
      ['GET', '/api/v1/dialplan/paginggroups/'],
      ['GET', '/api/v1/dialplan/switches/'],
      ['GET', '/api/v1/dialplan/timetables/'],
      ['GET', '/api/v1/pbx/dialplans/'],
      ['GET', '/api/v1/pbx/dialplans/{id}/'],
    ],
  },
  {
    scope: 'dialplan:*',
    description: 'Full access to dialplans, including viewing, creating, editing, and deleting',
    routes: [
      ['PUT', '/api/v1/dialplan/generalsettings/'],
      ['POST', '/api/v1/dialplan/ivr/'],
      ['DELETE', '/api/v1/dialplan/ivr/{id}/'],
      ['PUT', '/api/v1/dialplan/ivr/{id}/'],
      ['POST', '/api/v1/dialplan/paginggroups/'],
      ['DELETE', '/api/v1/dialplan/paginggroups/{id}/'],
      ['PUT', '/api/v1/dialplan/paginggroups/{id}/'],
      ['POST', '/api/v1/dialplan/switches/'],
      ['DELETE', '/api/v1/dialplan/switches/{id}/'],
      ['PUT', '/api/v1/dialplan/switches/{id}/'],
      ['POST', '/api/v1/dialplan/timetables/'],
      ['DELETE', '/api/v1/dialplan/timetables/{id}/'],
      ['PUT', '/api/v1/dialplan/timetables/{id}/'],
      ['PUT', '/api/v1/dialplan/timetables/import/'],
      ['POST', '/api/v1/pbx/dialplans/'],
      ['PUT', '/api/v1/pbx/dialplans/{id}/'],
      ['DELETE', '/api/v1/pbx/dialplans/{ids}/'],
    ],
  },
  {
    scope: 'info:read',
    description: 'View PBX information and diagnostics',
    routes: [
      ['GET', '/api/v1/departments/'],
      ['GET', '/api/v1/dictionaries/'],
      ['GET', '/api/v1/pbx/candidates/'],
      ['GET', '/api/v1/pbx/ports/status/'],
      ['GET', '/api/v1/pbx/version/'],
    ],
  },
  {
    scope: 'pbxpower:*',
    description: 'Reboot or power off the PBX',
    routes: [['PUT', '/api/v1/pbx/system/reboot/']],
  },
  {
    scope: 'phonebooks:read',
    description: 'View phonebooks and contacts',
    routes: [
      ['GET', '/api/v1/contacts/'],
      ['GET', '/api/v1/phonebooks/'],
      ['GET', '/api/v1/phonebooks/{id}/'],
      ['GET', '/api/v1/phonebooks/{phonebookid}/contacts/'],
      ['GET', '/api/v1/phonebooks/{phonebookid}/contacts/{contactid}/'],
    ],
  },
  {
    scope: 'phonebooks:*',
    description: 'Full access to phonebooks, including viewing, creating, editing, and deleting',
    routes: [
      ['POST', '/api/v1/contacts/'],
      ['POST', '/api/v1/phonebooks/'],
      ['POST', '/api/v1/phonebooks/{phonebookid}/contacts/'],
      ['DELETE', '/api/v1/phonebooks/{phonebookid}/contacts/{contactid}/'],
      ['PUT', '/api/v1/phonebooks/{phonebookid}/contacts/{contactid}/'],
    ],
  },
  {
    scope: 'recordings:read',
    description: 'View call recordings',
    routes: [
      ['GET', '/api/v1/pbx/recordings/'],
      ['GET', '/api/v1/pbx/recordings/download/{id}/'],
    ],
  },
  {
    scope: 'recordings:*',
    description: 'Manage call recording downloads',
    routes: [['POST', '/api/v1/pbx/recordings/download/']],
  },
  {
    scope: 'smtp:read',
    description: 'View SMTP settings',
    routes: [
      ['GET', '/api/v1/pbx/settings/smtp/'],
      ['GET', '/api/v1/pbx/settings/smtp/test/status/{testid}/'],
    ],
  },
  {
    scope: 'smtp:*',
    description: 'View and modify SMTP settings',
    routes: [
      ['PUT', '/api/v1/pbx/settings/smtp/'],
      ['POST', '/api/v1/pbx/settings/smtp/test/'],
    ],
  },
  {
    scope: 'sounds:read',
    description: 'View sounds and prompts',
    routes: [['GET', '/api/v1/sounds/{path}/']],
  },
  {
    scope: 'sounds:*',
    description: 'Full access to sounds and prompts, including viewing, creating, editing, and deleting',
    routes: [
      ['POST', '/api/v1/sounds/'],
      ['DELETE', '/api/v1/sounds/{path}/'],
      ['PUT', '/api/v1/sounds/{path}/'],
      ['POST', '/api/v1/sounds/directory/'],
    ],
  },
  {
    scope: 'trunks:read',
    description: 'View SIP trunks, price lists, and trunk settings',
    routes: [
      ['GET', '/api/v1/trunks/fxo/'],
      ['GET', '/api/v1/trunks/groups/'],
      ['GET', '/api/v1/trunks/prices/'],
      ['GET', '/api/v1/trunks/prices/{id}/export/'],
      ['GET', '/api/v1/trunks/pstn/'],
      ['GET', '/api/v1/trunks/sip/'],
    ],
  },
  {
    scope: 'trunks:*',
    description: 'Full access to trunks, including viewing, creating, editing, and deleting',
    routes: [
      ['PUT', '/api/v1/trunks/fxo/{id}/'],
      ['POST', '/api/v1/trunks/groups/'],
      ['DELETE', '/api/v1/trunks/groups/{id}/'],
      ['PUT', '/api/v1/trunks/groups/{id}/'],
      ['POST', '/api/v1/trunks/prices/'],
      ['DELETE', '/api/v1/trunks/prices/{id}/'],
      ['POST', '/api/v1/trunks/prices/{id}/'],
      ['PUT', '/api/v1/trunks/pstn/{id}/'],
      ['POST', '/api/v1/trunks/sip/'],
      ['DELETE', '/api/v1/trunks/sip/{id}/'],
      ['PUT', '/api/v1/trunks/sip/{id}/'],
    ],
  },
];

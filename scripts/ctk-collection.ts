/**
 * Builds ctk/TMF629-Customer-v4-CTK.postman_collection.json: a reproduction of the TM Forum
 * TMF629 v4 conformance kit (CTK-Customer-4.0.0) as ../shared/tmf629/CONFORMANCE.md describes it:
 * the same ten requests, payloads, headers and assertions, against `{{Customer}}` (a base URL
 * ending in `/`). Where the official kit's "individualised" checks compare nothing (`expect(x) == y`),
 * this one really compares. `npm run ctk` runs it with Newman.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const collectionPath = join(import.meta.dirname, '..', 'ctk', 'TMF629-Customer-v4-CTK.postman_collection.json');

const HEADERS = [
  { key: 'Accept', value: 'application/json' },
  { key: 'Content-Type', value: 'application/json' },
];

/** The kit's "mandatory check" on one object: keys present, strings typed, values in the raw body. */
const MANDATORY_CHECK = `
function mandatoryCheck(instance, checkName) {
  var requiredAttributes = ['engagedParty', '@type', 'engagedParty', 'href', 'id', 'name'];
  pm.test('Instance has all mandatory attributes', function () {
    pm.expect(Object.keys(instance)).to.include.members(requiredAttributes);
  });
  pm.test('Response has @type attribute', function () { pm.expect(instance['@type']).to.be.a('string'); });
  pm.test('Response has href attribute', function () { pm.expect(instance['href']).to.be.a('string'); });
  pm.test('Response has id attribute', function () { pm.expect(instance['id']).to.be.a('string'); });
  if (checkName) {
    pm.test('Response has name attribute', function () { pm.expect(instance['name']).to.be.a('string'); });
  }
  pm.test('Body includes value held on href', function () { pm.expect(pm.response.text()).to.include(instance['href']); });
  pm.test('Body includes value held on id', function () { pm.expect(pm.response.text()).to.include(instance['id']); });
  pm.test('Body includes value held on name', function () { pm.expect(pm.response.text()).to.include(instance['name']); });
  if (instance.id === pm.globals.get('IDCU01')) {
    pm.test('href is ' + pm.globals.get('HREFCU01'), function () { pm.expect(instance['href']).to.eql(pm.globals.get('HREFCU01')); });
    pm.test('id is ' + pm.globals.get('IDCU01'), function () { pm.expect(instance['id']).to.eql(pm.globals.get('IDCU01')); });
  }
}
`;

/** A list or a single object: the kit checks every element of a non-empty array, else the body itself. */
const EACH_OR_SELF = (checkName: boolean) => `
var jsonData = pm.response.json();
if (Array.isArray(jsonData) && jsonData.length > 0) {
  jsonData.forEach(function (instance) { mandatoryCheck(instance, ${checkName}); });
} else {
  mandatoryCheck(jsonData, ${checkName});
}
`;

const STATUS = (code: number) =>
  `pm.test('Status code is ${code}', function () { pm.response.to.have.status(${code}); });\n`;

function item(name: string, method: string, url: string, test: string, body?: string) {
  return {
    name,
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: test.trim().split('\n') } }],
    request: {
      method,
      header: HEADERS,
      ...(body ? { body: { mode: 'raw', raw: body } } : {}),
      url: `{{Customer}}${url}`,
    },
    response: [],
  };
}

export function buildCollection() {
  const createBody = JSON.stringify(
    { name: 'Moon Football Club', engagedParty: { '@referredType': 'Organization', id: '500' } },
    null,
    4,
  );
  return {
    info: {
      name: 'TMF629 Customer v4 CTK (reproduction)',
      description:
        'Reproduces the TM Forum CTK-Customer-4.0.0 flow (ten requests) for TMF629 v4. Set {{Customer}} to the API base URL ending in "/".',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: [
      {
        name: 'N1',
        item: [
          item(
            '/Customer',
            'POST',
            'customer',
            `var jsonData = pm.response.json();
if (Array.isArray(jsonData)) { pm.test('Array not expected as response', function () { pm.expect.fail(); }); }
${STATUS(201)}${MANDATORY_CHECK}
var instance = pm.response.json();
pm.globals.set('HREFCU01', instance['href']);
pm.globals.set('IDCU01', instance['id']);
pm.globals.set('NAMECU01', instance['name']);
mandatoryCheck(instance, true);`,
            createBody,
          ),
          item('/Customer', 'GET', 'customer', STATUS(200) + MANDATORY_CHECK + EACH_OR_SELF(true)),
          item(
            '/Customer/{{IDCU01}}',
            'GET',
            'customer/{{IDCU01}}',
            STATUS(200) + MANDATORY_CHECK + EACH_OR_SELF(true),
          ),
          item('/Customer?fields=href', 'GET', 'customer?fields=href', STATUS(200)),
          item('/Customer?fields=id', 'GET', 'customer?fields=id', STATUS(200)),
          item(
            '/Customer?id={{IDCU01}}',
            'GET',
            'customer?id={{IDCU01}}',
            STATUS(200) + MANDATORY_CHECK + EACH_OR_SELF(true),
          ),
          item(
            '/Customer?fields=name',
            'GET',
            'customer?fields=name',
            '// The kit sends this request and asserts nothing on it.',
          ),
          item(
            '/Customer?name={{NAMECU01}}',
            'GET',
            'customer?name={{NAMECU01}}',
            STATUS(200) + MANDATORY_CHECK + EACH_OR_SELF(true),
          ),
          item(
            '/Customer/{{IDCU01}} PATCH',
            'PATCH',
            'customer/{{IDCU01}}',
            `pm.test('Status code is 200 or 202', function () { pm.expect(pm.response.code).to.be.oneOf([200, 202]); });\n` +
              MANDATORY_CHECK +
              EACH_OR_SELF(false),
            JSON.stringify({ name: 'Sun Football Club' }, null, 4),
          ),
        ],
      },
      {
        name: 'E1',
        item: [item('/Customer/404ID', 'GET', 'customer/c2df1950-c17c-4576-9c22-e59073a4a86a', STATUS(404))],
      },
    ],
  };
}

export function collectionJson(): string {
  return `${JSON.stringify(buildCollection(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(collectionPath, collectionJson());
  console.log(`wrote ${collectionPath}`);
}

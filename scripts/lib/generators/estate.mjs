// The fictional AWS estate the generated logs describe: one account, its people, roles,
// instances and network interfaces, and the outside hosts that talk to it. Logs of different
// types drawn from the same estate mention the same principals and addresses, as real ones do.
//
// Public addresses come only from the documentation ranges of RFC 5737 (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24), so no generated log points at a real host.

const DOCUMENTATION_NETS = ['192.0.2', '198.51.100', '203.0.113'];

const PEOPLE = ['alice', 'bruno', 'chen', 'dara', 'emeka', 'farah', 'goran', 'hana'];
const ROLES = ['ci-deploy', 'OrganizationAccountAccessRole', 'app-backend', 'security-audit'];
const COUNTRIES = ['US', 'DE', 'BR', 'IN', 'JP', 'NL', 'FR', 'GB', 'SG', 'CN', 'RU', 'KR'];

export const ACCOUNT_ID = '111122223333';
export const REGION = 'us-east-1';

/** An outside address, drawn from the caller's sequence so each file stays independent. */
export function publicAddress(random) {
  return `${random.pick(DOCUMENTATION_NETS)}.${random.int(1, 254)}`;
}

function privateAddress(random) {
  return `10.0.${random.int(0, 15)}.${random.int(4, 250)}`;
}

function makeInstance(random) {
  return {
    id: `i-0${random.hex(16)}`,
    eni: `eni-0${random.hex(16)}`,
    privateIp: privateAddress(random),
    type: random.pick(['t3.micro', 't3.large', 'm6i.xlarge', 'c6g.2xlarge']),
    az: `${REGION}${random.pick(['a', 'b', 'c'])}`,
    imageId: `ami-0${random.hex(16)}`,
  };
}

export function createEstate(random) {
  const users = PEOPLE.map((name) => ({
    name,
    principalId: `AIDA${random.upper(17)}`,
    accessKeyId: `AKIA${random.upper(16)}`,
  }));
  const roles = ROLES.map((name) => ({ name, roleId: `AROA${random.upper(17)}` }));
  const instances = Array.from({ length: 6 }, () => makeInstance(random));
  const clients = Array.from({ length: 40 }, () => ({
    ip: publicAddress(random),
    country: random.pick(COUNTRIES),
  }));

  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    users,
    roles,
    instances,
    clients,
    vpcId: `vpc-0${random.hex(16)}`,
    loadBalancerId: random.hex(16),
    webAclId: random.uuid(),
    detectorId: random.hex(32),
  };
}

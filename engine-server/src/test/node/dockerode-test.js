'use strict';
// DockerodeIT's script: dockerode, Node's Docker client, against the berthd in DOCKER_HOST
// (unix://...). Each step prints "ok <step>"; the first failure prints its error and exits 1.
// Everything it makes carries LABEL and is removed at the end, whatever happened.

const assert = require('node:assert/strict');
const { PassThrough } = require('node:stream');
const Docker = require('dockerode');

const IMAGE = process.env.BERTH_IT_IMAGE || 'busybox:latest';
const LABEL = 'dev.berth.it.dockerode';
const labels = { [LABEL]: 'yes' };
const docker = new Docker(); // docker-modem reads DOCKER_HOST

/** Collects a stream's bytes as text. */
function collect(stream) {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Splits a multiplexed attach/exec/log stream into stdout and stderr with modem.demuxStream. */
function demux(stream) {
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  const stdout = collect(out);
  const stderr = collect(err);
  const ended = new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  return { stdout, stderr, ended };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function rejectsWith(promise, status, messagePart) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.statusCode, status, `status of ${e.message}`);
    const message = e.json && e.json.message ? e.json.message : String(e.message);
    assert.ok(message.includes(messagePart), `"${message}" should say "${messagePart}"`);
    return;
  }
  assert.fail(`expected a ${status} answer`);
}

const steps = [];
function step(name, fn) {
  steps.push({ name, fn });
}

step('ping, version and the image', async () => {
  assert.equal(String(await docker.ping()), 'OK');
  const version = await docker.version();
  assert.equal(version.ApiVersion, '1.51');
  const image = await docker.getImage(IMAGE).inspect();
  assert.ok(image.RepoTags.includes(IMAGE), JSON.stringify(image.RepoTags));
  const images = await docker.listImages();
  assert.ok(images.some((i) => (i.RepoTags || []).includes(IMAGE)), 'listImages has the image');
});

step('create, attach, start, wait', async () => {
  const container = await docker.createContainer({
    Image: IMAGE,
    name: 'dockerode-attach',
    Cmd: ['sh', '-c', 'echo out; echo err >&2; read -r line; echo "got $line"; exit 3'],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Labels: labels,
  });
  const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
  const output = demux(stream);
  await container.start();
  stream.write('hello from node\n');
  stream.end();
  const result = await withTimeout(container.wait(), 30000, 'wait');
  assert.equal(result.StatusCode, 3);
  await withTimeout(output.ended, 10000, 'the attach stream ends');
  assert.equal(output.stdout(), 'out\ngot hello from node\n');
  assert.equal(output.stderr(), 'err\n');

  const logs = await container.logs({ stdout: true, stderr: true });
  const replay = demux(new PassThrough().end(logs));
  await replay.ended;
  assert.equal(replay.stdout(), 'out\ngot hello from node\n');
  assert.equal(replay.stderr(), 'err\n');
});

step('exec with demux, inspect, list', async () => {
  const container = await docker.createContainer({
    Image: IMAGE, name: 'dockerode-exec', Cmd: ['sleep', '300'], Labels: { ...labels, role: 'worker' },
    Env: ['GREETING=hello dockerode'],
  });
  await container.start();
  const exec = await container.exec({
    Cmd: ['sh', '-c', 'echo "$GREETING"; echo oops >&2; exit 7'], AttachStdout: true, AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = demux(stream);
  await withTimeout(output.ended, 30000, 'the exec stream ends');
  assert.equal(output.stdout(), 'hello dockerode\n');
  assert.equal(output.stderr(), 'oops\n');
  const execInfo = await exec.inspect();
  assert.equal(execInfo.ExitCode, 7);
  assert.equal(execInfo.Running, false);

  const info = await container.inspect();
  assert.equal(info.Name, '/dockerode-exec');
  assert.equal(info.State.Running, true);
  assert.equal(info.Config.Labels.role, 'worker');
  assert.ok(info.Config.Env.includes('GREETING=hello dockerode'));

  const listed = await docker.listContainers({ filters: { label: ['role=worker'] } });
  assert.deepEqual(listed.map((c) => c.Id), [info.Id]);
  assert.deepEqual(listed[0].Names, ['/dockerode-exec']);
  assert.equal(listed[0].State, 'running');
  const all = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  assert.equal(all.length, 2, JSON.stringify(all.map((c) => c.Names)));

  await container.stop({ t: 1 });
  await rejectsWith(container.stop(), 304, '');
});

step('remove, and the answers for what is gone', async () => {
  const container = docker.getContainer('dockerode-exec');
  await container.remove({ v: true });
  await rejectsWith(container.inspect(), 404, 'No such container: dockerode-exec');
  await docker.getContainer('dockerode-attach').remove();
  await rejectsWith(docker.getContainer('dockerode-attach').remove(), 404, 'No such container: dockerode-attach');
  await rejectsWith(docker.getImage('no-such-image:nothing').inspect(), 404, 'No such image');
});

step('volumes', async () => {
  const volume = await docker.createVolume({ Name: 'dockerode-vol', Labels: labels });
  assert.equal(volume.name, 'dockerode-vol');
  const info = await docker.getVolume('dockerode-vol').inspect();
  assert.equal(info.Name, 'dockerode-vol');
  assert.equal(info.Driver, 'local');
  assert.equal(info.Labels[LABEL], 'yes');
  const listed = await docker.listVolumes({ filters: { label: [LABEL] } });
  assert.deepEqual(listed.Volumes.map((v) => v.Name), ['dockerode-vol']);

  const writer = await docker.createContainer({
    Image: IMAGE, Cmd: ['sh', '-c', 'echo kept > /data/file'], Labels: labels,
    HostConfig: { Binds: ['dockerode-vol:/data'] },
  });
  await writer.start();
  assert.equal((await writer.wait()).StatusCode, 0);
  await rejectsWith(docker.getVolume('dockerode-vol').remove(), 409, 'volume is in use');
  await writer.remove();
  await docker.getVolume('dockerode-vol').remove();
  await rejectsWith(docker.getVolume('dockerode-vol').inspect(), 404, 'no such volume');
});

step('networks', async () => {
  const network = await docker.createNetwork({ Name: 'dockerode-net', Labels: labels });
  const info = await network.inspect();
  assert.equal(info.Name, 'dockerode-net');
  assert.equal(info.Driver, 'bridge');
  assert.equal(info.Labels[LABEL], 'yes');
  const listed = await docker.listNetworks({ filters: { label: [LABEL] } });
  assert.deepEqual(listed.map((n) => n.Name), ['dockerode-net']);

  const server = await docker.createContainer({
    Image: IMAGE, name: 'dockerode-server', Labels: labels,
    Cmd: ['sh', '-c', 'mkdir /www && echo by alias > /www/index.html && exec httpd -f -p 8000 -h /www'],
    HostConfig: { NetworkMode: 'dockerode-net' },
    NetworkingConfig: { EndpointsConfig: { 'dockerode-net': { Aliases: ['web'] } } },
  });
  await server.start();
  const client = await docker.createContainer({
    Image: IMAGE, Cmd: ['sleep', '300'], Labels: labels,
  });
  await client.start();
  await network.connect({ Container: client.id, EndpointConfig: { Aliases: ['client'] } });
  const connected = await network.inspect();
  assert.deepEqual(Object.keys(connected.Containers).sort(), [server.id, client.id].sort());

  const exec = await client.exec({
    Cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://web:8000/ && exit 0; sleep 0.3; done; exit 1'],
    AttachStdout: true, AttachStderr: true,
  });
  const output = demux(await exec.start({ hijack: true, stdin: false }));
  await withTimeout(output.ended, 30000, 'wget through the alias');
  assert.equal(output.stdout(), 'by alias\n', output.stderr());

  await network.disconnect({ Container: client.id, Force: true });
  await rejectsWith(network.remove(), 403, 'has active endpoints');
  await server.remove({ force: true });
  await client.remove({ force: true });
  await network.remove();
  await rejectsWith(network.inspect(), 404, 'not found');
});

async function cleanUp() {
  const filters = { label: [LABEL] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true });
  }
  for (const n of await docker.listNetworks({ filters })) {
    await docker.getNetwork(n.Id).remove();
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes || []) {
    await docker.getVolume(v.Name).remove();
  }
}

(async () => {
  let failed = false;
  for (const { name, fn } of steps) {
    try {
      await fn();
      console.log(`ok ${name}`);
    } catch (e) {
      console.log(`FAILED ${name}: ${e && e.stack ? e.stack : e}`);
      if (e && e.json) console.log(`  engine answered: ${JSON.stringify(e.json)}`);
      failed = true;
      break;
    }
  }
  try {
    await cleanUp();
  } catch (e) {
    console.log(`FAILED clean-up: ${e && e.stack ? e.stack : e}`);
    failed = true;
  }
  process.exit(failed ? 1 : 0);
})();

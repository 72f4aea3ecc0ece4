"""docker-py against berthd: the calls its users make most. Exits non-zero on the first mismatch."""
import io
import sys
import tarfile

import docker

client = docker.DockerClient(base_url=sys.argv[1])
assert client.version()["ApiVersion"] == "1.51"
assert client.ping()

out = client.containers.run("busybox", "echo hi from py", remove=True)
assert out == b"hi from py\n", out

ct = client.containers.run("busybox", "sleep 60", detach=True, labels={"sdk": "py"})
assert [c.id for c in client.containers.list(filters={"label": "sdk=py"})] == [ct.id]
res = ct.exec_run('sh -c "echo $((6*7)); exit 3"')
assert (res.exit_code, res.output) == (3, b"42\n"), res
# docker-py reads the answer's head through a buffer, then the raw socket: output that came with
# the head would be lost. A fast exec must not get there before the head does.
for i in range(50):
    res = ct.exec_run("echo fast")
    assert res.output == b"fast\n", (i, res)
# put_archive takes a tar compressed as dockerd accepts it (gzip, bzip2, xz) or not.
for mode in ("w", "w:gz", "w:bz2", "w:xz"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:
        data = ("put with " + mode + "\n").encode()
        info = tarfile.TarInfo("put.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assert ct.put_archive("/tmp", buf.getvalue())
    res = ct.exec_run("cat /tmp/put.txt")
    assert res.output == ("put with " + mode + "\n").encode(), (mode, res)
ct.reload()
assert ct.status == "running", ct.status
ct.kill()
assert ct.wait()["StatusCode"] == 137
assert b"" == ct.logs()
ct.remove()

try:
    client.containers.run("busybox", 'sh -c "echo oops >&2; exit 3"', remove=True)
    raise AssertionError("expected ContainerError")
except docker.errors.ContainerError as e:
    assert e.exit_status == 3 and b"oops" in e.stderr, e

try:
    client.containers.get("no-such-container")
    raise AssertionError("expected NotFound")
except docker.errors.NotFound:
    pass

try:
    client.images.get("no-such-image:1")
    raise AssertionError("expected ImageNotFound")
except docker.errors.ImageNotFound:
    pass

net = client.networks.create("sdknet", labels={"sdk": "py"})
assert client.networks.get("sdknet").attrs["Labels"] == {"sdk": "py"}
assert "sdknet" in [n.name for n in client.networks.list(filters={"label": "sdk=py"})]
srv = client.containers.run("busybox", "sleep 300", name="sdksrv", network="sdknet", detach=True)
srv.reload()
assert srv.attrs["NetworkSettings"]["Networks"]["sdknet"]["IPAddress"], srv.attrs["NetworkSettings"]
out = client.containers.run("busybox", "ping -c1 -W3 sdksrv", network="sdknet", remove=True)
assert b"1 packets received" in out, out
other = client.containers.create("busybox", "true")
net.connect(other, aliases=["extra"])
net.reload()
assert other.id not in net.attrs["Containers"]  # not running: no endpoint yet
other.reload()
assert other.attrs["NetworkSettings"]["Networks"]["sdknet"]["Aliases"] == ["extra"]
net.disconnect(other)
other.remove()
srv.remove(force=True)
net.remove()
try:
    client.networks.get("sdknet")
    raise AssertionError("expected NotFound")
except docker.errors.NotFound:
    pass

assert "busybox:latest" in [t for i in client.images.list() for t in i.tags]
print("docker-py ok")

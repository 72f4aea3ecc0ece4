/*
 * A stand-in for Testcontainers' resource reaper (Ryuk, testcontainers/moby-ryuk) for tests that
 * cannot reach Docker Hub: the same job over the same protocol.
 *
 * It listens on TCP RYUK_PORT (8080) and prints "Started" (Testcontainers waits for that line).
 * A client sends filter lines in query form, "label=k%3Dv&label=k2%3Dv2"; each line is answered
 * "ACK". Once every client has gone and RYUK_RECONNECTION_TIMEOUT (seconds, 10) has passed
 * without a new one (or no client came within RYUK_CONNECTION_TIMEOUT, 60), it removes, through
 * the engine's API on /var/run/docker.sock, every container (forced, with its anonymous volumes),
 * then network, volume and image matching one of the filters, retrying each removal a few times,
 * prints what it removed and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define MAX_FILTERS 64
#define LINE_MAX_LEN 8192

struct client {
  int fd;
  size_t used;
  char buf[LINE_MAX_LEN];
};

static struct client clients[MAX_CLIENTS];
static int client_count;
static char *filters[MAX_FILTERS]; /* each a JSON object for the API's filters parameter */
static int filter_count;
static const char *socket_path = "/var/run/docker.sock";

static long env_seconds(const char *name, long fallback) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') {
    return fallback;
  }
  char *end;
  long n = strtol(v, &end, 10);
  return (end == v || n < 0) ? fallback : n;
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int hex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes one query component (%XX and '+') in place. */
static void url_decode(char *s) {
  char *out = s;
  for (; *s; s++) {
    if (*s == '+') {
      *out++ = ' ';
    } else if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
      *out++ = (char) (hex(s[1]) * 16 + hex(s[2]));
      s += 2;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
}

/* Appends s as a JSON string to out. */
static void json_string(char *out, size_t cap, const char *s) {
  size_t n = strlen(out);
  if (n + 2 >= cap) return;
  out[n++] = '"';
  for (; *s && n + 8 < cap; s++) {
    unsigned char c = (unsigned char) *s;
    if (c == '"' || c == '\\') {
      out[n++] = '\\';
      out[n++] = (char) c;
    } else if (c < 0x20) {
      n += (size_t) snprintf(out + n, cap - n, "\\u%04x", c);
    } else {
      out[n++] = (char) c;
    }
  }
  out[n++] = '"';
  out[n] = '\0';
}

/*
 * Turns "label=a%3Db&label=c%3Dd&name=x" into {"label":["a=b","c=d"],"name":["x"]}: the values
 * of one key go together, as the engine's filters take them (a resource matches all of them).
 */
static char *filter_json(const char *line) {
  char keys[32][256];
  char values[32][16][1024];
  int value_counts[32] = {0};
  int key_count = 0;
  char *copy = strdup(line);
  char *save = NULL;
  for (char *pair = strtok_r(copy, "&", &save); pair != NULL; pair = strtok_r(NULL, "&", &save)) {
    char *eq = strchr(pair, '=');
    if (eq == NULL || eq == pair) continue;
    *eq = '\0';
    url_decode(pair);
    url_decode(eq + 1);
    int k = 0;
    while (k < key_count && strcmp(keys[k], pair) != 0) k++;
    if (k == key_count) {
      if (key_count == 32) continue;
      snprintf(keys[k], sizeof keys[k], "%s", pair);
      key_count++;
    }
    if (value_counts[k] < 16) {
      snprintf(values[k][value_counts[k]++], sizeof values[k][0], "%s", eq + 1);
    }
  }
  free(copy);
  if (key_count == 0) return NULL;
  size_t cap = 65536;
  char *out = calloc(1, cap);
  strcat(out, "{");
  for (int k = 0; k < key_count; k++) {
    if (k > 0) strcat(out, ",");
    json_string(out, cap, keys[k]);
    strcat(out, ":[");
    for (int v = 0; v < value_counts[k]; v++) {
      if (v > 0) strcat(out, ",");
      json_string(out, cap, values[k][v]);
    }
    strcat(out, "]");
  }
  strcat(out, "}");
  return out;
}

static void add_filter(const char *line) {
  char *json = filter_json(line);
  if (json == NULL) {
    printf("ignored filter line without key=value: %s\n", line);
    return;
  }
  for (int i = 0; i < filter_count; i++) {
    if (strcmp(filters[i], json) == 0) {
      free(json);
      return;
    }
  }
  if (filter_count == MAX_FILTERS) {
    free(json);
    return;
  }
  printf("adding filter %s\n", json);
  filters[filter_count++] = json;
}

/* Percent-encodes s for a query string. */
static void url_encode(char *out, size_t cap, const char *s) {
  size_t n = 0;
  for (; *s && n + 4 < cap; s++) {
    unsigned char c = (unsigned char) *s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
      out[n++] = (char) c;
    } else {
      n += (size_t) snprintf(out + n, cap - n, "%%%02X", c);
    }
  }
  out[n] = '\0';
}

/*
 * One request to the engine over its Unix socket; returns the status code and puts the body
 * (de-chunked) in *body, to be freed.
 */
static int engine(const char *method, const char *path, char **body) {
  *body = NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path);
  if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
    printf("cannot connect to %s: %s\n", socket_path, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  char request[8192];
  int len = snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n", method, path);
  if (write(fd, request, (size_t) len) != len) {
    close(fd);
    return -1;
  }
  size_t cap = 65536, used = 0;
  char *resp = malloc(cap);
  for (;;) {
    if (used + 4096 > cap) {
      cap *= 2;
      resp = realloc(resp, cap);
    }
    ssize_t r = read(fd, resp + used, cap - used - 1);
    if (r <= 0) break;
    used += (size_t) r;
  }
  close(fd);
  resp[used] = '\0';
  int status = -1;
  if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1) {
    free(resp);
    return -1;
  }
  char *start = strstr(resp, "\r\n\r\n");
  if (start == NULL) {
    free(resp);
    return status;
  }
  *start = '\0';
  start += 4;
  char *out = calloc(1, used + 1);
  if (strcasestr(resp, "\ntransfer-encoding: chunked") != NULL) {
    size_t n = 0;
    char *p = start;
    for (;;) {
      char *end;
      unsigned long size = strtoul(p, &end, 16);
      char *data = strstr(end, "\r\n");
      if (size == 0 || data == NULL) break;
      data += 2;
      if (data + size > resp + used) size = (unsigned long) (resp + used - data);
      memcpy(out + n, data, size);
      n += size;
      p = data + size + 2;
      if (p >= resp + used) break;
    }
  } else {
    memcpy(out, start, (size_t) (resp + used - start));
  }
  free(resp);
  *body = out;
  return status;
}

/* Collects the string values of "key":"..." in a JSON answer into ids; returns how many. */
static int collect(const char *json, const char *key, char ids[][256], int max) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"%s\":\"", key);
  int n = 0;
  for (const char *p = json; n < max && (p = strstr(p, needle)) != NULL;) {
    p += strlen(needle);
    const char *end = strchr(p, '"');
    if (end == NULL) break;
    snprintf(ids[n], sizeof ids[n], "%.*s", (int) (end - p), p);
    int duplicate = 0;
    for (int i = 0; i < n; i++) duplicate |= strcmp(ids[i], ids[n]) == 0;
    if (!duplicate) n++;
    p = end;
  }
  return n;
}

/* Lists what one filter matches and removes it, retrying; returns how many went. */
static int remove_matching(const char *list_path, const char *key, const char *remove_fmt, const char *what) {
  int removed = 0;
  for (int f = 0; f < filter_count; f++) {
    char encoded[16384], path[20000], *body;
    url_encode(encoded, sizeof encoded, filters[f]);
    snprintf(path, sizeof path, list_path, encoded);
    int status = engine("GET", path, &body);
    if (status != 200 || body == NULL) {
      printf("listing %s failed (%d): %s\n", what, status, body ? body : "");
      free(body);
      continue;
    }
    static char ids[512][256];
    int n = collect(body, key, ids, 512);
    free(body);
    for (int i = 0; i < n; i++) {
      for (int attempt = 1; attempt <= 10; attempt++) {
        snprintf(path, sizeof path, remove_fmt, ids[i]);
        status = engine("DELETE", path, &body);
        if (status == 200 || status == 204 || status == 404) {
          if (status != 404) removed++;
          free(body);
          break;
        }
        printf("removing %s %s failed (%d, attempt %d): %s\n", what, ids[i], status, attempt, body ? body : "");
        free(body);
        sleep(1);
      }
    }
  }
  return removed;
}

static void prune(void) {
  int containers = remove_matching("/containers/json?all=1&filters=%s", "Id", "/containers/%s?force=1&v=1", "container");
  int networks = remove_matching("/networks?filters=%s", "Id", "/networks/%s", "network");
  int volumes = remove_matching("/volumes?filters=%s", "Name", "/volumes/%s?force=1", "volume");
  int images = remove_matching("/images/json?filters=%s", "Id", "/images/%s", "image");
  printf("Removed %d container(s), %d network(s), %d volume(s) %d image(s)\n", containers, networks, volumes, images);
}

static void drop_client(int i) {
  close(clients[i].fd);
  clients[i] = clients[--client_count];
}

/* Handles the complete lines in a client's buffer; returns -1 when the client is to be dropped. */
static int serve_lines(struct client *c) {
  char *nl;
  while ((nl = memchr(c->buf, '\n', c->used)) != NULL) {
    *nl = '\0';
    size_t line_len = (size_t) (nl - c->buf);
    if (line_len > 0 && c->buf[line_len - 1] == '\r') c->buf[line_len - 1] = '\0';
    if (c->buf[0] != '\0') {
      add_filter(c->buf);
      if (write(c->fd, "ACK\n", 4) != 4) return -1;
    }
    c->used -= line_len + 1;
    memmove(c->buf, nl + 1, c->used);
  }
  return c->used == sizeof c->buf ? -1 : 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  long port = env_seconds("RYUK_PORT", 8080);
  long connection_timeout = env_seconds("RYUK_CONNECTION_TIMEOUT", 60) * 1000;
  long reconnection_timeout = env_seconds("RYUK_RECONNECTION_TIMEOUT", 10) * 1000;

  int listener = socket(AF_INET6, SOCK_STREAM, 0);
  int family = AF_INET6;
  if (listener < 0) {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    family = AF_INET;
  }
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int bound;
  if (family == AF_INET6) {
    int zero = 0;
    setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t) port), .sin6_addr = in6addr_any};
    bound = bind(listener, (struct sockaddr *) &a, sizeof a);
  } else {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    bound = bind(listener, (struct sockaddr *) &a, sizeof a);
  }
  if (bound != 0 || listen(listener, 16) != 0) {
    printf("cannot listen on %ld: %s\n", port, strerror(errno));
    return 1;
  }
  printf("Started address=:%ld\n", port);

  long deadline = now_ms() + connection_timeout;
  for (;;) {
    struct pollfd fds[MAX_CLIENTS + 1];
    fds[0] = (struct pollfd) {.fd = listener, .events = POLLIN};
    for (int i = 0; i < client_count; i++) {
      fds[i + 1] = (struct pollfd) {.fd = clients[i].fd, .events = POLLIN};
    }
    long wait = client_count > 0 ? -1 : deadline - now_ms();
    if (client_count == 0 && wait <= 0) break;
    if (poll(fds, (nfds_t) client_count + 1, (int) (wait > 1000 ? 1000 : wait)) < 0 && errno != EINTR) {
      break;
    }
    for (int i = client_count - 1; i >= 0; i--) {
      if (fds[i + 1].revents == 0) continue;
      struct client *c = &clients[i];
      ssize_t r = read(c->fd, c->buf + c->used, sizeof c->buf - c->used);
      if (r <= 0 || (c->used += (size_t) r, serve_lines(c) != 0)) {
        drop_client(i);
        printf("client disconnected, clients=%d\n", client_count);
        if (client_count == 0) deadline = now_ms() + reconnection_timeout;
      }
    }
    if (fds[0].revents & POLLIN) {
      int fd = accept(listener, NULL, NULL);
      if (fd >= 0 && client_count < MAX_CLIENTS) {
        clients[client_count++] = (struct client) {.fd = fd};
        printf("client connected, clients=%d\n", client_count);
      } else if (fd >= 0) {
        close(fd);
      }
    }
  }
  close(listener);
  printf("prune check, filters=%d\n", filter_count);
  prune();
  return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "guardedcallback.h"
#include "webhookcapture.h"
#include "whiskclient.h"

#include <QObject>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <memory>

namespace Feedscope {

namespace Http {
class Reply;
class Server;
struct Request;
} // namespace Http

class WebhookCaptureStore;
class WebhookForwarder;
struct WebhookCaptureBatch;

struct WebhookRelaySettings
{
    quint16 port = 0; // 0: a free port, picked once and kept for as long as it stays free
    int maxCaptures = 1000;
    qint64 maxCaptureBytes = 32 * 1024 * 1024; // all kept captures together
    qint64 maxBodyBytes = 1024 * 1024; // one delivery: OpenWhisk's payload limit; larger → 413
};

// The webhook relay (DESIGN.md, model/): a loopback HTTP listener for services that cannot send
// Basic auth, and the place a hook-pattern feed points at during local development.
//
// Any request to /hooks/{trigger} — any method, any content type — is captured as it arrived
// (method, path, query, headers with their case, raw body, arrival time), forwarded to the
// trigger's fire URL with the profile's key (webhookforward.h says how a body becomes a
// payload), and answered with what the API answered (202 with the activation id, 204 when no
// rule is active, 404 for an unknown trigger, 429, ...). What the relay refuses itself is
// answered with an {error, code} body and captured too: 400 for a malformed request or trigger
// name, 413 for a body over the limit (refused before it is buffered), 403 for a request from a
// web page (a browser Origin: pages must not fire triggers with the user's key), 503 without a
// profile or with too many deliveries in flight. Nothing blocks: forwarding is asynchronous and
// the capture file is written in batches on a worker thread.
//
// Captures are bounded in count and bytes (the oldest go), kept across restarts in
// webhooks.sqlite, and never hold the key (wherever a sender put it, it reads "***"). The
// console's sends and replays go through the same forward, as captures of their own source.
class WebhookRelay : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Listening, Failed };
    Q_ENUM(State)

    using CaptureCallback = std::function<void(const WebhookCapture &)>;

    // Keeps its captures (webhooks.sqlite) and settings (webhook-relay.json) in `directory`.
    explicit WebhookRelay(const QString &directory, QObject *parent = nullptr);
    ~WebhookRelay() override;

    // Where deliveries go: the profile in use. Without one they are captured and answered 503.
    void setEndpoint(const WhiskEndpoint &endpoint);
    void clearEndpoint();
    bool hasEndpoint() const { return m_hasEndpoint; }
    const WhiskEndpoint &endpoint() const { return m_endpoint; }

    // Listens on 127.0.0.1 (the port setting, else the port it had last time if still free,
    // else a free one). False, with errorString(), when the port cannot be had.
    bool start();
    void stop();
    State state() const { return m_state; }
    bool isListening() const { return m_state == State::Listening; }
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    // http://127.0.0.1:{port} and http://127.0.0.1:{port}/hooks/{trigger} (empty when stopped).
    QUrl baseUrl() const;
    QUrl hookUrl(const QString &trigger) const;
    // The trigger's own fire URL at the endpoint (empty without one).
    QUrl fireUrl(const QString &trigger) const;

    const WebhookRelaySettings &settings() const { return m_settings; }
    // Saved at once; a new port restarts the listener, new bounds apply now.
    void setSettings(const WebhookRelaySettings &settings);

    // The history, oldest first (ids grow). Until isLoaded() only this run's captures.
    const std::deque<WebhookCapture> &captures() const { return m_captures; }
    const WebhookCapture *capture(qint64 id) const;
    bool isLoaded() const { return m_loaded; }

    // The console's send: captured with source Console, forwarded; `done` (through `context`)
    // gets the finished capture. Returns its id.
    qint64
    send(const WebhookRequest &request, QObject *context = nullptr, CaptureCallback done = {});
    // Sends capture `id` again byte for byte (source Replay); 0 when it is gone.
    qint64 replay(qint64 id, QObject *context = nullptr, CaptureCallback done = {});
    // Sends an edited copy of capture `id` (source Replay, replayOf `id`).
    qint64 replayEdited(qint64 id,
                        const WebhookRequest &edited,
                        QObject *context = nullptr,
                        CaptureCallback done = {});
    // Forgets the captures of `trigger` (all when empty), on disk too.
    void clear(const QString &trigger = {});
    // Hands pending changes to the capture file now instead of at the next batch.
    void flush();

    // Deliveries forwarded and not yet answered, and the most the relay lets wait: beyond it a
    // delivery is refused with 503 rather than queued without bound.
    int inFlight() const;
    static constexpr int maxInFlight = 256;

Q_SIGNALS:
    void stateChanged(Feedscope::WebhookRelay::State state);
    void endpointChanged();
    void settingsChanged();
    // The history on disk arrived (captures() now holds it): re-read everything.
    void capturesReset();
    void captureAdded(qint64 id);
    // A capture's outcome arrived.
    void captureUpdated(qint64 id);
    // The oldest captures, every one with an id up to `upToId`, were dropped (bounds).
    void capturesDropped(qint64 upToId);
    // Something the user should see: where it listens, a moved port, a storage failure.
    void message(const QString &text);

private:
    struct Submission;

    void handle(Http::Request &&request, const Http::Reply &reply);
    void onRefused(const Http::Request &partial, int status, const QString &message);
    // Masks credentials headers and every known key in what a capture keeps.
    void scrub(WebhookRequest &request) const;
    qint64 submit(WebhookRequest request,
                  WebhookCapture::Source source,
                  qint64 replayOf,
                  std::shared_ptr<Submission> submission);
    void refuse(WebhookCapture &capture, int status, const QString &message);
    qint64 record(WebhookCapture capture);
    WebhookCapture *find(qint64 id);
    void finish(qint64 id, const WebhookCapture &finished, const Submission &submission);
    void trim();
    void persist(const WebhookCapture &capture);
    void scheduleFlush();
    void onLoaded(const QList<WebhookCapture> &loaded);
    void setState(State state, const QString &error);
    void loadSettings();
    void saveSettings();
    qint64 nextId();

    QString m_directory;
    WebhookRelaySettings m_settings;
    quint16 m_lastPort = 0; // the free port picked last time (settings port 0)
    WhiskEndpoint m_endpoint;
    bool m_hasEndpoint = false;
    QList<QByteArray> m_secrets; // the key and its Basic form, kept out of every capture
    std::unique_ptr<Http::Server> m_server;
    WebhookForwarder *m_forwarder;
    State m_state = State::Stopped;
    quint16 m_port = 0;
    QString m_error;

    std::deque<WebhookCapture> m_captures;
    qint64 m_captureBytes = 0;
    qint64 m_lastId = 0;
    bool m_loaded = false;

    QThread m_storeThread;
    WebhookCaptureStore *m_store;
    std::unique_ptr<WebhookCaptureBatch> m_batch;
    QTimer m_flushTimer;
};

} // namespace Feedscope

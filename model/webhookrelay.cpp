// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookrelay.h"

#include "entityname.h"
#include "httpserver.h"
#include "webhookcapturestore.h"
#include "webhookforward.h"
#include "webhookforwarder.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUrl>
#include <QUuid>

namespace Feedscope {

namespace {

// How long changes wait to be written together: at thousands of deliveries a second this is one
// transaction per few hundred captures instead of one each.
constexpr int flushIntervalMs = 250;

QByteArray newCode()
{
    return QUuid::createUuid().toByteArray(QUuid::Id128);
}

// The relay's own refusals, shaped like the API's errors so a sender reads both the same way.
Http::Response errorResponse(int status, const QString &message, const QByteArray &code)
{
    const QJsonObject body{{QStringLiteral("error"), message},
                           {QStringLiteral("code"), QString::fromLatin1(code)}};
    Http::Response response
        = Http::Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
    response.headers.append({"X-Request-ID", code});
    return response;
}

enum class Route { Hook, BadName, Elsewhere };

// /hooks/{trigger}: the trigger's name (percent-decoded), or why the path is not one.
Route route(const QByteArray &path, QString *trigger)
{
    static const QByteArray prefix = "/hooks/";
    if (!path.startsWith(prefix))
        return Route::Elsewhere;
    const QByteArray segment = path.mid(prefix.size());
    *trigger = QString::fromUtf8(QByteArray::fromPercentEncoding(segment));
    if (segment.isEmpty() || segment.contains('/') || !isValidEntityName(*trigger))
        return Route::BadName;
    return Route::Hook;
}

WebhookRequest requestFrom(const Http::Request &http, const QString &trigger)
{
    // Every field, in order: the delivery as it arrived (header names in their case).
    return WebhookRequest{trigger, http.method, http.path, http.query, http.rawHeaders, http.body};
}

} // namespace

// Who waits for a forward's outcome: the sender's HTTP reply (relay deliveries) and the
// console's callback.
struct WebhookRelay::Submission
{
    std::optional<Http::Reply> reply;
    GuardedCallback<const WebhookCapture &> done;
};

WebhookRelay::WebhookRelay(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_forwarder(new WebhookForwarder(this))
    , m_store(new WebhookCaptureStore(QDir(directory).filePath(QStringLiteral("webhooks.sqlite"))))
    , m_batch(std::make_unique<WebhookCaptureBatch>())
{
    loadSettings();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &WebhookRelay::flush);

    m_storeThread.setObjectName(QStringLiteral("webhook-captures"));
    m_store->moveToThread(&m_storeThread);
    connect(m_store, &WebhookCaptureStore::loaded, this, &WebhookRelay::onLoaded);
    connect(m_store, &WebhookCaptureStore::failed, this, &WebhookRelay::message);
    m_storeThread.start();
    QMetaObject::invokeMethod(m_store, &WebhookCaptureStore::open, Qt::QueuedConnection);
}

WebhookRelay::~WebhookRelay()
{
    stop();
    m_flushTimer.stop();
    // Captures still waiting for the API are written as they are: the next start shows them as
    // interrupted rather than losing them.
    for (const WebhookCapture &c : m_captures) {
        if (c.status == 0)
            m_batch->upserts.append(c);
    }
    WebhookCaptureStore *store = m_store;
    WebhookCaptureBatch last = std::move(*m_batch);
    // The one wait on the disk: the last batch at shutdown, a few milliseconds, so that what
    // the relay captured survives the app.
    QMetaObject::invokeMethod(
        store,
        [store, last] {
            store->apply(last);
            store->close();
        },
        Qt::BlockingQueuedConnection);
    m_storeThread.quit();
    m_storeThread.wait();
    delete store;
}

// ---- settings -------------------------------------------------------------------------------

void WebhookRelay::loadSettings()
{
    QFile file(QDir(m_directory).filePath(QStringLiteral("webhook-relay.json")));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m_settings.port = quint16(root.value(QLatin1String("port")).toInt());
    m_lastPort = quint16(root.value(QLatin1String("lastPort")).toInt());
    m_settings.maxCaptures = qMax(1, root.value(QLatin1String("maxCaptures")).toInt(1000));
    m_settings.maxCaptureBytes = qMax<qint64>(
        64 * 1024, root.value(QLatin1String("maxCaptureBytes")).toInteger(32 * 1024 * 1024));
    m_settings.maxBodyBytes
        = qMax<qint64>(1, root.value(QLatin1String("maxBodyBytes")).toInteger(1024 * 1024));
}

void WebhookRelay::saveSettings()
{
    QDir().mkpath(m_directory);
    QSaveFile file(QDir(m_directory).filePath(QStringLiteral("webhook-relay.json")));
    if (!file.open(QIODevice::WriteOnly))
        return;
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("port"), int(m_settings.port)},
                           {QStringLiteral("lastPort"), int(m_lastPort)},
                           {QStringLiteral("maxCaptures"), m_settings.maxCaptures},
                           {QStringLiteral("maxCaptureBytes"), m_settings.maxCaptureBytes},
                           {QStringLiteral("maxBodyBytes"), m_settings.maxBodyBytes}};
    file.write(QJsonDocument(root).toJson());
    file.commit();
}

void WebhookRelay::setSettings(const WebhookRelaySettings &settings)
{
    const bool newPort = settings.port != m_settings.port;
    const bool newBodyLimit = settings.maxBodyBytes != m_settings.maxBodyBytes;
    m_settings = settings;
    m_settings.maxCaptures = qMax(1, m_settings.maxCaptures);
    saveSettings();
    trim();
    // A new port is tried at once, also after the last one could not be had.
    if ((isListening() && (newPort || newBodyLimit)) || (m_state == State::Failed && newPort)) {
        stop();
        start();
    }
    Q_EMIT settingsChanged();
}

// ---- endpoint and listener ------------------------------------------------------------------

void WebhookRelay::setEndpoint(const WhiskEndpoint &endpoint)
{
    m_endpoint = endpoint;
    m_hasEndpoint = true;
    // Every profile's key seen so far, in the forms a sender could echo it: a delivery made
    // with another profile's key (or before this one connected) is masked in captures too.
    const QByteArray key = endpoint.authKey.toUtf8();
    for (const QByteArray &form :
         {key, key.toBase64(), QUrl::toPercentEncoding(QString::fromUtf8(key))}) {
        if (!form.isEmpty() && !m_secrets.contains(form))
            m_secrets.append(form);
    }
    Q_EMIT endpointChanged();
}

void WebhookRelay::clearEndpoint()
{
    m_hasEndpoint = false;
    m_endpoint = {};
    Q_EMIT endpointChanged();
}

bool WebhookRelay::start()
{
    if (m_server)
        return true;
    m_server = std::make_unique<Http::Server>(
        [this](Http::Request &&request, const Http::Reply &reply) {
            handle(std::move(request), reply);
        },
        [](int status, const QString &message) {
            return errorResponse(status, message, newCode());
        });
    Http::Limits limits;
    limits.maxBodyBytes = m_settings.maxBodyBytes;
    limits.keepRawHeaders = true;
    m_server->setLimits(limits);
    m_server->setRefusalObserver(
        [this](const Http::Request &partial, int status, const QString &message) {
            onRefused(partial, status, message);
        });
    const quint16 wanted = m_settings.port != 0 ? m_settings.port : m_lastPort;
    bool listening = m_server->listen(QHostAddress::LocalHost, wanted);
    if (!listening && m_settings.port == 0 && wanted != 0)
        listening = m_server->listen(QHostAddress::LocalHost, 0);
    if (!listening) {
        const QString why = tr("The webhook relay cannot listen on 127.0.0.1:%1: %2")
                                .arg(wanted)
                                .arg(m_server->errorString());
        m_server.reset();
        m_port = 0;
        setState(State::Failed, why);
        Q_EMIT message(why);
        return false;
    }
    m_port = m_server->port();
    if (m_settings.port == 0 && m_port != m_lastPort) {
        if (m_lastPort != 0) {
            Q_EMIT message(tr("Port %1 was taken: the webhook relay moved to %2. Point webhooks "
                              "at the new address.")
                               .arg(m_lastPort)
                               .arg(m_port));
        }
        m_lastPort = m_port;
        saveSettings();
    }
    setState(State::Listening, {});
    Q_EMIT message(tr("Webhook relay listening on %1/hooks/{trigger}").arg(baseUrl().toString()));
    return true;
}

void WebhookRelay::stop()
{
    if (!m_server)
        return;
    // The connections go with the server; forwards in flight still finish and are captured,
    // their answers to the gone senders are dropped.
    m_server.reset();
    m_port = 0;
    setState(State::Stopped, {});
}

void WebhookRelay::setState(State state, const QString &error)
{
    m_error = error;
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QUrl WebhookRelay::baseUrl() const
{
    if (!isListening())
        return {};
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QUrl WebhookRelay::hookUrl(const QString &trigger) const
{
    if (!isListening())
        return {};
    return QUrl(baseUrl().toString() + QStringLiteral("/hooks/")
                + QString::fromLatin1(QUrl::toPercentEncoding(trigger)));
}

QUrl WebhookRelay::fireUrl(const QString &trigger) const
{
    return m_hasEndpoint ? triggerFireUrl(m_endpoint, trigger) : QUrl();
}

int WebhookRelay::inFlight() const
{
    return m_forwarder->inFlight();
}

// ---- deliveries -----------------------------------------------------------------------------

void WebhookRelay::handle(Http::Request &&http, const Http::Reply &reply)
{
    QString trigger;
    switch (route(http.path, &trigger)) {
    case Route::Elsewhere:
        reply.send(errorResponse(
            404, tr("Not found: the relay answers /hooks/{trigger} only."), newCode()));
        return;
    case Route::BadName:
        reply.send(errorResponse(
            400, tr("Malformed request: /hooks/ must be followed by a trigger name."), newCode()));
        return;
    case Route::Hook: break;
    }
    auto submission = std::make_shared<Submission>();
    submission->reply = reply;
    submit(requestFrom(http, trigger), WebhookCapture::Source::Relay, 0, submission);
}

void WebhookRelay::onRefused(const Http::Request &partial, int status, const QString &message)
{
    // A delivery refused before it was read whole (oversize body, broken framing): recorded
    // without its body when it names a trigger, so the console shows why nothing fired.
    QString trigger;
    if (route(partial.path, &trigger) != Route::Hook)
        return;
    WebhookCapture capture;
    capture.request = requestFrom(partial, trigger);
    capture.request.body.clear();
    scrub(capture.request);
    refuse(capture, status, message);
    record(std::move(capture));
}

void WebhookRelay::scrub(WebhookRequest &request) const
{
    for (auto &h : request.headers) {
        const QByteArray name = h.first.toLower();
        if (name == "authorization" || name == "proxy-authorization") {
            // Credentials are never forwarded (the relay fires with the profile's key), so a
            // capture keeps only their scheme, whatever key they hold.
            const qsizetype space = h.second.indexOf(' ');
            h.second = (space > 0 ? h.second.left(space + 1) : QByteArray()) + "***";
            continue;
        }
        h.second = withoutSecrets(h.second, m_secrets);
    }
    request.query = withoutSecrets(request.query, m_secrets);
    request.body = withoutSecrets(request.body, m_secrets);
}

qint64 WebhookRelay::submit(WebhookRequest request,
                            WebhookCapture::Source source,
                            qint64 replayOf,
                            std::shared_ptr<Submission> submission)
{
    scrub(request);

    WebhookCapture capture;
    capture.source = source;
    capture.replayOf = replayOf;
    capture.request = std::move(request);

    // Only a browser sends Origin; a page must not fire triggers with the user's key (the same
    // defence as the engine's). The console's own sends are the user's.
    const QByteArray origin = capture.request.header("origin");
    if (source == WebhookCapture::Source::Relay && !origin.isEmpty()
        && origin != baseUrl().toEncoded()) {
        refuse(capture,
               403,
               tr("The relay does not take requests from web pages (Origin: %1).")
                   .arg(QString::fromUtf8(origin)));
    } else if (!m_hasEndpoint) {
        refuse(capture, 503, tr("No profile is connected: the relay has nowhere to deliver."));
    } else if (capture.request.body.size() > m_settings.maxBodyBytes) {
        refuse(capture,
               413,
               tr("The body is %1 bytes, over the relay's limit of %2 bytes.")
                   .arg(capture.request.body.size())
                   .arg(m_settings.maxBodyBytes));
    } else if (inFlight() >= maxInFlight) {
        refuse(
            capture, 503, tr("The relay has %1 deliveries waiting for the API.").arg(inFlight()));
    }
    const bool refused = capture.status != 0;
    const WebhookRequest forwarded = refused ? WebhookRequest() : capture.request;
    const WebhookCapture copy = refused ? capture : WebhookCapture();
    const qint64 id = record(std::move(capture));
    if (refused) {
        finish(id, copy, *submission);
        return id;
    }
    m_forwarder->forward(m_endpoint, forwarded, [this, id, submission](ForwardAnswer answer) {
        WebhookCapture done;
        if (const WebhookCapture *c = this->capture(id))
            done = *c;
        done.forwarded = true;
        done.forwardMicros = answer.micros;
        if (answer.status == 0) {
            done.status = answer.timedOut ? 504 : 502;
            done.error = tr("The trigger's API did not answer: %1").arg(answer.error);
        } else {
            done.status = answer.status;
            done.activationId = answer.activationId;
            done.error = answer.error;
            done.response
                = withoutSecrets(answer.body.left(WebhookCapture::maxResponseBytes), m_secrets);
            done.responseType = answer.contentType;
        }
        if (submission->reply) {
            Http::Response response;
            if (answer.status == 0) {
                response = errorResponse(done.status, done.error, newCode());
            } else {
                response.status = answer.status;
                response.contentType = answer.contentType;
                response.body = answer.body;
                if (!answer.requestId.isEmpty())
                    response.headers.append({"X-Request-ID", answer.requestId});
                if (!answer.activationId.isEmpty())
                    response.headers.append(
                        {"x-openwhisk-activation-id", answer.activationId.toLatin1()});
            }
            response.headers.append({"X-Feedscope-Capture", QByteArray::number(id)});
            submission->reply->send(std::move(response));
            submission->reply.reset();
        }
        finish(id, done, *submission);
    });
    return id;
}

void WebhookRelay::refuse(WebhookCapture &capture, int status, const QString &message)
{
    capture.status = status;
    capture.forwarded = false;
    capture.error = message;
}

qint64 WebhookRelay::record(WebhookCapture capture)
{
    capture.id = nextId();
    capture.receivedAt = QDateTime::currentDateTimeUtc();
    const qint64 id = capture.id;
    if (capture.status != 0)
        persist(capture);
    m_captureBytes += capture.cost();
    m_captures.push_back(std::move(capture));
    Q_EMIT captureAdded(id);
    trim();
    return id;
}

void WebhookRelay::finish(qint64 id, const WebhookCapture &finished, const Submission &submission)
{
    if (submission.reply) {
        // Refused before forwarding: the sender hears why.
        Http::Response response = errorResponse(finished.status, finished.error, newCode());
        response.headers.append({"X-Feedscope-Capture", QByteArray::number(id)});
        submission.reply->send(std::move(response));
    }
    WebhookCapture result = finished;
    result.id = id;
    if (WebhookCapture *kept = find(id)) {
        if (kept->status == 0) {
            m_captureBytes -= kept->cost();
            kept->status = finished.status;
            kept->forwarded = finished.forwarded;
            kept->forwardMicros = finished.forwardMicros;
            kept->activationId = finished.activationId;
            kept->error = finished.error;
            kept->response = finished.response;
            kept->responseType = finished.responseType;
            m_captureBytes += kept->cost();
            persist(*kept);
            result = *kept;
            Q_EMIT captureUpdated(id);
            trim();
        } else {
            result = *kept;
        }
    }
    submission.done.post(this, result);
}

WebhookCapture *WebhookRelay::find(qint64 id)
{
    const auto it = std::lower_bound(m_captures.begin(),
                                     m_captures.end(),
                                     id,
                                     [](const WebhookCapture &c, qint64 v) { return c.id < v; });
    return it != m_captures.end() && it->id == id ? &*it : nullptr;
}

const WebhookCapture *WebhookRelay::capture(qint64 id) const
{
    return const_cast<WebhookRelay *>(this)->find(id);
}

qint64 WebhookRelay::nextId()
{
    // Microseconds since the epoch, kept strictly increasing: ids sort by arrival across
    // restarts without asking the file for its last id first.
    m_lastId = qMax(m_lastId + 1, QDateTime::currentMSecsSinceEpoch() * 1000);
    return m_lastId;
}

void WebhookRelay::trim()
{
    qint64 dropped = 0;
    while (m_captures.size() > 1
           && (qsizetype(m_captures.size()) > m_settings.maxCaptures
               || m_captureBytes > m_settings.maxCaptureBytes)) {
        m_captureBytes -= m_captures.front().cost();
        dropped = m_captures.front().id;
        m_captures.pop_front();
    }
    if (dropped == 0)
        return;
    m_batch->removeUpTo = qMax(m_batch->removeUpTo, dropped);
    scheduleFlush();
    Q_EMIT capturesDropped(dropped);
}

// ---- console sends and replays --------------------------------------------------------------

qint64 WebhookRelay::send(const WebhookRequest &request, QObject *context, CaptureCallback done)
{
    auto submission = std::make_shared<Submission>();
    submission->done = GuardedCallback<const WebhookCapture &>(context, std::move(done));
    return submit(request, WebhookCapture::Source::Console, 0, submission);
}

qint64 WebhookRelay::replay(qint64 id, QObject *context, CaptureCallback done)
{
    const WebhookCapture *original = capture(id);
    if (!original)
        return 0;
    return replayEdited(id, original->request, context, std::move(done));
}

qint64 WebhookRelay::replayEdited(qint64 id,
                                  const WebhookRequest &edited,
                                  QObject *context,
                                  CaptureCallback done)
{
    auto submission = std::make_shared<Submission>();
    submission->done = GuardedCallback<const WebhookCapture &>(context, std::move(done));
    return submit(edited, WebhookCapture::Source::Replay, id, submission);
}

void WebhookRelay::clear(const QString &trigger)
{
    if (trigger.isEmpty()) {
        m_captures.clear();
        m_captureBytes = 0;
        *m_batch = WebhookCaptureBatch();
        m_batch->clearAll = true;
    } else {
        std::deque<WebhookCapture> kept;
        for (WebhookCapture &c : m_captures) {
            if (c.request.trigger == trigger) {
                m_batch->removed.append(c.id);
                m_captureBytes -= c.cost();
            } else {
                kept.push_back(std::move(c));
            }
        }
        m_captures = std::move(kept);
    }
    scheduleFlush();
    Q_EMIT capturesReset();
}

// ---- the capture file -----------------------------------------------------------------------

void WebhookRelay::persist(const WebhookCapture &capture)
{
    m_batch->upserts.append(capture);
    scheduleFlush();
}

void WebhookRelay::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void WebhookRelay::flush()
{
    m_flushTimer.stop();
    if (m_batch->isEmpty())
        return;
    WebhookCaptureStore *store = m_store;
    QMetaObject::invokeMethod(
        store, [store, batch = std::move(*m_batch)] { store->apply(batch); }, Qt::QueuedConnection);
    *m_batch = WebhookCaptureBatch();
}

void WebhookRelay::onLoaded(const QList<WebhookCapture> &loaded)
{
    // This run's captures (arrived while the file was read) come after the stored ones.
    std::deque<WebhookCapture> merged;
    m_captureBytes = 0;
    for (const WebhookCapture &c : loaded) {
        m_captureBytes += c.cost();
        merged.push_back(c);
    }
    for (WebhookCapture &c : m_captures) {
        m_captureBytes += c.cost();
        merged.push_back(std::move(c));
    }
    std::stable_sort(
        merged.begin(), merged.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    m_captures = std::move(merged);
    if (!m_captures.empty())
        m_lastId = qMax(m_lastId, m_captures.back().id);
    m_loaded = true;
    trim();
    Q_EMIT capturesReset();
}

} // namespace Feedscope

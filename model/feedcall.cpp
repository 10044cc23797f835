// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedcall.h"

#include "whiskclient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Feedscope {

// ---------------------------------------------------------------------------------------------
// Feed calls

bool FeedAnswer::unsupported() const
{
    if (ok)
        return false;
    const QString e = error.toLower();
    return e.contains(QLatin1String("unsupported")) || e.contains(QLatin1String("not supported"))
           || e.contains(QLatin1String("not implemented"));
}

QString readableFeedError(const QJsonValue &result)
{
    if (result.isString())
        return result.toString();
    if (result.isObject()) {
        const QJsonObject o = result.toObject();
        const QJsonValue error = o.value(QLatin1String("error"));
        if (error.isString() && !error.toString().isEmpty())
            return error.toString();
        if (error.isObject())
            return readableFeedError(error);
        const QJsonValue message = o.value(QLatin1String("message"));
        if (message.isString() && !message.toString().isEmpty())
            return message.toString();
        if (!error.isUndefined() && !error.isNull())
            return QString::fromUtf8(
                       QJsonDocument(QJsonArray{error}).toJson(QJsonDocument::Compact))
                .mid(1)
                .chopped(1);
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    if (result.isArray())
        return QString::fromUtf8(QJsonDocument(result.toArray()).toJson(QJsonDocument::Compact));
    if (result.isDouble() || result.isBool())
        return result.toVariant().toString();
    return {};
}

namespace {

// The body of every lifecycle call (PROTOCOL.md 3.1): the caller's parameters, then the three
// the protocol defines, which win.
QJsonObject feedBody(const QJsonObject &params,
                     const QString &event,
                     const QString &triggerName,
                     const QString &authKey)
{
    QJsonObject body = params;
    body.insert(QStringLiteral("lifecycleEvent"), event);
    body.insert(QStringLiteral("triggerName"), triggerName);
    body.insert(QStringLiteral("authKey"), authKey);
    return body;
}

InvokeOptions feedInvokeOptions()
{
    InvokeOptions options;
    options.blocking = true;
    return options;
}

} // namespace

QString FeedRequest::toText() const
{
    return QString::fromLatin1(method) + u' ' + url.toString() + QStringLiteral("\n\n")
           + QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Indented)).trimmed();
}

FeedRequest describeFeedRequest(const WhiskClient &client,
                                const QualifiedName &feed,
                                const QString &event,
                                const QString &triggerName,
                                const QJsonObject &params)
{
    FeedRequest request;
    request.method = "POST";
    request.url = client.invokeUrl(feed, feedInvokeOptions());
    request.body = feedBody(params, event, triggerName, QString::fromLatin1(HttpJournal::redacted));
    return request;
}

void invokeFeed(WhiskClient &client,
                const QualifiedName &feed,
                const QString &event,
                const QString &triggerName,
                const QJsonObject &params,
                QObject *context,
                std::function<void(FeedAnswer)> done,
                const QString &authKey)
{
    const QJsonObject body = feedBody(
        params, event, triggerName, authKey.isEmpty() ? client.endpoint().authKey : authKey);
    const InvokeOptions options = feedInvokeOptions();
    client.invoke(feed, body, options, context, [done, feed, event](Result<InvokeResult> r) {
        FeedAnswer answer;
        if (!r) {
            answer.httpStatus = r.error().httpStatus;
            answer.activationId = r.error().activationId;
            answer.error = r.error().message;
            done(answer);
            return;
        }
        answer.activationId = r->activationId;
        answer.finished = r->finished;
        answer.result = r->result;
        answer.record = r->record;
        if (!r->finished) {
            // HTTP 202: the blocking wait ran out; the activation may still be running.
            answer.error = QStringLiteral("the feed %1 did not answer %2 in time (activation %3 "
                                          "still running)")
                               .arg(feed.toString(), event, r->activationId);
            done(answer);
            return;
        }
        if (r->record)
            answer.activationStatus = r->record->status;
        answer.ok = r->record ? r->record->success
                              : !r->result.toObject().contains(QLatin1String("error"));
        if (!answer.ok) {
            answer.error = readableFeedError(r->result);
            if (answer.error.isEmpty() && r->record)
                answer.error = r->record->status;
            const QJsonValue err = r->result.toObject().value(QLatin1String("error"));
            answer.feedStatusCode = err.toObject().value(QLatin1String("statusCode")).toInt();
            if (answer.feedStatusCode == 0)
                answer.feedStatusCode
                    = r->result.toObject().value(QLatin1String("statusCode")).toInt();
        }
        done(answer);
    });
}

} // namespace Feedscope

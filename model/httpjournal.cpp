// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpjournal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope {

namespace {

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

// Inside double quotes only these four keep a meaning to the shell.
QString shellDoubleQuote(const QString &text)
{
    QString quoted;
    for (const QChar c : text) {
        if (c == u'\\' || c == u'"' || c == u'$' || c == u'`')
            quoted += u'\\';
        quoted += c;
    }
    return u'"' + quoted + u'"';
}

// JSON members whose value is a key, whatever the depth.
bool isKeyMember(const QString &name)
{
    return name == u"authKey" || name == u"api_key" || name == u"__OW_API_KEY"
           || name.compare(u"authorization", Qt::CaseInsensitive) == 0;
}

QJsonValue redactJson(const QJsonValue &value, bool *changed)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (isKeyMember(it.key()) && it.value().isString()) {
                if (it.value().toString() != QLatin1String(HttpJournal::redacted)) {
                    *it = QString::fromLatin1(HttpJournal::redacted);
                    *changed = true;
                }
            } else if (it.value().isObject() || it.value().isArray()) {
                *it = redactJson(it.value(), changed);
            }
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (array.at(i).isObject() || array.at(i).isArray())
                array[i] = redactJson(array.at(i), changed);
        }
        return array;
    }
    return value;
}

} // namespace

QByteArray HttpJournal::redact(const QByteArray &body, const QList<QByteArray> &secrets)
{
    QByteArray text = body;
    for (const QByteArray &secret : secrets) {
        // Short strings would match ordinary text; keys are long.
        if (secret.size() >= 8)
            text.replace(secret, redacted);
    }
    if (!text.contains("\"authKey\"") && !text.contains("\"api_key\"")
        && !text.contains("\"__OW_API_KEY\"") && !text.contains("uthorization\"")) {
        return text;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    bool changed = false;
    const QJsonValue cleaned = redactJson(document.isObject() ? QJsonValue(document.object())
                                                              : QJsonValue(document.array()),
                                          &changed);
    if (!changed)
        return text;
    return cleaned.isObject() ? QJsonDocument(cleaned.toObject()).toJson(QJsonDocument::Compact)
                              : QJsonDocument(cleaned.toArray()).toJson(QJsonDocument::Compact);
}

HttpJournal::HttpJournal(QObject *parent)
    : QObject(parent)
{}

void HttpJournal::setCapacity(int entries)
{
    m_capacity = qMax(1, entries);
    trim(true);
}

void HttpJournal::trim(bool exact)
{
    // Past the capacity by a tenth, the oldest go in one batch: a full journal then announces a
    // removal every capacity/10 appends, not on every one (STYLE.md 5).
    const int slack = exact ? 0 : m_capacity / 10;
    if (m_entries.size() <= m_capacity + slack)
        return;
    const int excess = int(m_entries.size()) - m_capacity;
    Q_EMIT entriesAboutToBeRemoved(excess);
    m_entries.remove(0, excess);
    Q_EMIT entriesRemoved(excess);
}

qint64 HttpJournal::append(Entry entry, const QList<QByteArray> &secrets)
{
    entry.id = m_nextId++;
    QList<QByteArray> allSecrets = secrets;
    for (auto &header : entry.requestHeaders) {
        if (header.first.compare("authorization", Qt::CaseInsensitive) == 0) {
            // The Base64 of a Basic header may be echoed back (a webhook registration).
            if (header.second.startsWith("Basic ") && header.second != "Basic ***")
                allSecrets.append(header.second.mid(6));
            header.second = "Basic ***";
        }
    }
    for (const QByteArray &secret : secrets)
        allSecrets.append(secret.toBase64());
    // Redact before truncating, so that a cut cannot split a key out of reach of the parser.
    entry.requestBody = redact(entry.requestBody, allSecrets);
    entry.responseBody = redact(entry.responseBody, allSecrets);
    if (entry.requestBody.size() > maxBodyBytes)
        entry.requestBody = entry.requestBody.left(maxBodyBytes) + "…";
    if (entry.responseBody.size() > maxBodyBytes)
        entry.responseBody = entry.responseBody.left(maxBodyBytes) + "…";
    m_entries.append(entry);
    Q_EMIT entryAdded(m_entries.last());
    trim(false);
    return entry.id;
}

void HttpJournal::clear()
{
    Q_EMIT aboutToBeCleared();
    m_entries.clear();
    Q_EMIT cleared();
}

QString HttpJournal::toCurl(const Entry &entry)
{
    QStringList parts{QStringLiteral("curl")};
    if (entry.method != "GET")
        parts << QStringLiteral("-X") << QString::fromLatin1(entry.method);
    for (const auto &header : entry.requestHeaders) {
        if (header.first.compare("authorization", Qt::CaseInsensitive) == 0) {
            parts << QStringLiteral("-u") << QStringLiteral("\"$OW_AUTH\"");
            continue;
        }
        parts << QStringLiteral("-H")
              << shellQuote(QString::fromLatin1(header.first) + QStringLiteral(": ")
                            + QString::fromUtf8(header.second));
    }
    if (!entry.requestBody.isEmpty()) {
        const QString body = QString::fromUtf8(entry.requestBody);
        const QString redactedKey = QStringLiteral("\"authKey\":\"***\"");
        if (body.contains(redactedKey)) {
            // A lifecycle body: the feed gets the key from the environment, like -u does.
            QString quoted = shellDoubleQuote(body);
            quoted.replace(QStringLiteral("\\\"authKey\\\":\\\"***\\\""),
                           QStringLiteral("\\\"authKey\\\":\\\"$OW_AUTH\\\""));
            parts << QStringLiteral("-d") << quoted;
        } else {
            parts << QStringLiteral("-d") << shellQuote(body);
        }
    }
    parts << shellQuote(entry.url.toString());
    return parts.join(u' ');
}

} // namespace Feedscope

// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationexport.h"

#include "activationfiltermodel.h"
#include "activationtablemodel.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

namespace Feedscope {

ActivationExportRows ActivationExportRows::of(const ActivationFilterModel &filter)
{
    ActivationExportRows out;
    const auto *table = qobject_cast<const ActivationTableModel *>(filter.sourceModel());
    if (!table)
        return out;
    const int n = filter.rowCount();
    out.rows.reserve(size_t(n));
    for (int r = 0; r < n; ++r) {
        const int source = filter.mapToSource(filter.index(r, 0)).row();
        if (source >= 0)
            out.rows.push_back(table->rowAt(source));
    }
    out.strings = table->strings();
    return out;
}

ActivationExportRows ActivationExportRows::of(const ActivationTableModel &table,
                                              const QList<int> &rows)
{
    ActivationExportRows out;
    out.rows.reserve(size_t(rows.size()));
    for (const int r : rows) {
        if (r >= 0 && r < table.rowCount())
            out.rows.push_back(table.rowAt(r));
    }
    out.strings = table.strings();
    return out;
}

namespace {

void appendJsonString(QByteArray &out, const QString &text)
{
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out.append("\\u00");
                out.append(hex[(c >> 4) & 0xf]);
                out.append(hex[c & 0xf]);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

void appendMs(QByteArray &out, qint32 v)
{
    if (v < 0)
        out.append("null");
    else
        out.append(QByteArray::number(v));
}

void appendPooled(QByteArray &out, const StringPool &strings, quint32 pooled)
{
    if (pooled)
        appendJsonString(out, strings.at(pooled));
    else
        out.append("null");
}

} // namespace

QByteArray activationJsonLine(const ActivationRow &row, const StringPool &strings)
{
    // Written by hand rather than through QJsonObject: 100k rows took 2.8 s that way (28 us a
    // row, mostly building and serializing the object), and the keys keep this order.
    QByteArray out;
    out.reserve(320 + row.payload.size());
    out.append("{\"activationId\":");
    appendJsonString(out, row.idString(strings));
    out.append(",\"kind\":");
    appendJsonString(out, kindText(row.kind));
    out.append(",\"name\":");
    appendJsonString(out, strings.at(row.name));
    out.append(",\"status\":");
    appendJsonString(out, statusText(row.status));
    out.append(",\"start\":\"");
    out.append(QDateTime::fromMSecsSinceEpoch(row.start, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1());
    out.append("\",\"startMs\":");
    out.append(QByteArray::number(row.start));
    out.append(",\"durationMs\":");
    appendMs(out, row.durationMs);
    out.append(",\"waitMs\":");
    appendMs(out, row.waitMs);
    out.append(",\"initMs\":");
    appendMs(out, row.initMs);
    out.append(row.cold() ? ",\"cold\":true" : ",\"cold\":false");
    out.append(",\"trigger\":");
    appendPooled(out, strings, row.trigger);
    out.append(",\"rule\":");
    appendPooled(out, strings, row.rule);
    out.append(row.synthetic ? ",\"synthetic\":true" : ",\"synthetic\":false");
    out.append(",\"payload\":");
    if (row.payload.isEmpty()) {
        out.append("null");
    } else {
        // The excerpt is compact JSON cut at ActivationRow::payloadLimit bytes: a short payload
        // is whole and goes in as it is, a long one as the text it was cut to.
        QJsonParseError error;
        QJsonDocument::fromJson(row.payload, &error);
        if (error.error == QJsonParseError::NoError)
            out.append(row.payload);
        else
            appendJsonString(out, QString::fromUtf8(row.payload));
    }
    out.append("}\n");
    return out;
}

ExportResult writeActivationsJsonLines(const ActivationExportRows &rows,
                                       const QString &path,
                                       const ExportProgress &progress)
{
    ExportResult result;
    const auto fail = [&](const QString &why) {
        result.error = QStringLiteral("Exporting %1 activations to %2 failed: %3")
                           .arg(rows.rows.size())
                           .arg(QFileInfo(path).absoluteFilePath(), why);
        return result;
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    const auto total = qint64(rows.rows.size());
    for (const ActivationRow &row : rows.rows) {
        const QByteArray line = activationJsonLine(row, rows.strings);
        if (file.write(line) != line.size())
            return fail(file.errorString()); // QSaveFile discards the temporary file
        ++result.rows;
        if (progress && result.rows % ActivationExportJob::progressStep == 0
            && !progress(result.rows, total)) {
            file.cancelWriting();
            result.cancelled = true;
            return result;
        }
    }
    if (!file.commit())
        return fail(file.errorString());
    if (progress)
        progress(result.rows, total);
    return result;
}

ActivationExportJob::ActivationExportJob(QObject *parent)
    : QObject(parent)
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{}

ActivationExportJob::~ActivationExportJob()
{
    if (m_thread) {
        m_cancel->store(true);
        // Cancelled, the worker stops within progressStep rows (a few milliseconds).
        m_thread->wait();
        delete m_thread;
    }
}

bool ActivationExportJob::start(ActivationExportRows rows, const QString &path)
{
    if (m_thread)
        return false;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto result = std::make_shared<ExportResult>();
    auto cancel = m_cancel;
    // The worker posts to `this`, which outlives it: the destructor waits for it.
    m_thread = QThread::create([this, rows = std::move(rows), path, cancel, result] {
        *result = writeActivationsJsonLines(rows, path, [this, cancel](qint64 written, qint64 total) {
            if (cancel->load())
                return false;
            QMetaObject::invokeMethod(
                this, [this, written, total] { Q_EMIT progress(written, total); },
                Qt::QueuedConnection);
            return true;
        });
    });
    connect(m_thread, &QThread::finished, this, [this, result] {
        m_thread->deleteLater();
        m_thread = nullptr;
        Q_EMIT finished(*result);
    });
    m_thread->start();
    return true;
}

} // namespace Feedscope

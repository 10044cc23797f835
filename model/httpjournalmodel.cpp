// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpjournalmodel.h"

#include <QLocale>

namespace Feedscope {

HttpJournalModel::HttpJournalModel(HttpJournal *journal, QObject *parent)
    : QAbstractTableModel(parent)
    , m_journal(journal)
{
    m_batch.setSingleShot(true);
    m_batch.setInterval(50);
    connect(&m_batch, &QTimer::timeout, this, &HttpJournalModel::flush);
    if (!journal)
        return;
    connect(journal, &HttpJournal::entryAdded, this, [this] {
        if (!m_batch.isActive())
            m_batch.start();
    });
    connect(journal, &HttpJournal::entriesAboutToBeRemoved, this, [this](int count) {
        // The oldest entries go; the published ones among them are rows 0..k-1. Pending ones
        // were never shown.
        m_removing = qMin(count, m_shown);
        if (m_removing > 0)
            beginRemoveRows({}, 0, m_removing - 1);
    });
    connect(journal, &HttpJournal::entriesRemoved, this, [this] {
        if (m_removing > 0) {
            m_shown -= m_removing;
            m_removing = 0;
            endRemoveRows();
        }
    });
    connect(journal, &HttpJournal::aboutToBeCleared, this, [this] { beginResetModel(); });
    connect(journal, &HttpJournal::cleared, this, [this] {
        m_shown = 0;
        endResetModel();
    });
    connect(journal, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_shown = 0;
        endResetModel();
    });
    m_batch.start();
}

void HttpJournalModel::flush()
{
    m_batch.stop();
    if (!m_journal)
        return;
    const int total = int(m_journal->entries().size());
    if (total <= m_shown)
        return;
    beginInsertRows({}, m_shown, total - 1);
    m_shown = total;
    endInsertRows();
}

int HttpJournalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_shown;
}

int HttpJournalModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const HttpJournal::Entry *HttpJournalModel::entry(int row) const
{
    if (!m_journal || row < 0 || row >= m_shown || row >= m_journal->entries().size())
        return nullptr;
    return &m_journal->entries().at(row);
}

int HttpJournalModel::rowOfEntry(qint64 id) const
{
    if (!m_journal)
        return -1;
    // Ids grow with the row: a binary search.
    const auto &entries = m_journal->entries();
    const auto end = entries.cbegin() + qMin<qsizetype>(m_shown, entries.size());
    const auto it = std::lower_bound(
        entries.cbegin(), end, id, [](const auto &e, qint64 value) { return e.id < value; });
    return it != end && it->id == id ? int(it - entries.cbegin()) : -1;
}

HttpJournalModel::Outcome HttpJournalModel::outcomeOf(const HttpJournal::Entry &entry)
{
    if (entry.status == 0)
        return Outcome::NoReply;
    if (entry.status >= 500)
        return Outcome::ServerError;
    if (entry.status >= 400)
        return Outcome::ClientError;
    return Outcome::Success;
}

QString HttpJournalModel::shortPath(const QUrl &url)
{
    QString path = url.path();
    const QString api = QStringLiteral("/api/v1");
    if (path.startsWith(api))
        path = path.mid(api.size());
    if (url.hasQuery())
        path += u'?' + url.query();
    return path;
}

QString HttpJournalModel::sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QVariant HttpJournalModel::data(const QModelIndex &index, int role) const
{
    const HttpJournal::Entry *e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return e->started.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case Method: return QString::fromLatin1(e->method);
        case Path: return shortPath(e->url);
        case Status:
            return e->status != 0 ? QString::number(e->status)
                                  : (e->error.isEmpty() ? QStringLiteral("—") : e->error);
        case Duration: return QStringLiteral("%1 ms").arg(e->elapsedMs);
        case Size: return sizeText(e->responseBody.size());
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status && e->status == 0)
            return e->error;
        if (index.column() == Path)
            return e->url.toString();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Duration || index.column() == Size || index.column() == Status)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryIdRole: return e->id;
    case OutcomeRole: return QVariant::fromValue(outcomeOf(*e));
    case StatusCodeRole: return e->status;
    case BackgroundTrafficRole: return e->background;
    case SortRole:
        switch (index.column()) {
        case Time: return e->id;
        case Status: return e->status;
        case Duration: return e->elapsedMs;
        case Size: return qint64(e->responseBody.size());
        default: return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant HttpJournalModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Method: return tr("Method");
    case Path: return tr("Path");
    case Status: return tr("Status");
    case Duration: return tr("Duration");
    case Size: return tr("Size");
    }
    return {};
}

} // namespace Feedscope

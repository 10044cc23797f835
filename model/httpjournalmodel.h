// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpjournal.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

namespace Feedscope {

// The HTTP journal as a table for the HTTP log panel (STYLE.md 5-10): one row per exchange,
// oldest first. Appends are published in batches (one insert per tick), trims and clears follow
// the journal's announcements, display text is built on demand. Roles are semantic; widgets/
// turns them into colours.
class HttpJournalModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Method, Path, Status, Duration, Size, ColumnCount };
    enum Role {
        EntryIdRole = Qt::UserRole + 1,
        OutcomeRole,           // Outcome
        StatusCodeRole,        // int, 0 without a reply
        SortRole,              // a comparable value for the column
        BackgroundTrafficRole, // bool: sent by the app on its own (polling, pings)
    };
    enum class Outcome { Success, ClientError, ServerError, NoReply };
    Q_ENUM(Outcome)

    explicit HttpJournalModel(HttpJournal *journal, QObject *parent = nullptr);

    // How long appends wait to be published together (default 50 ms).
    void setBatchInterval(int ms) { m_batch.setInterval(ms); }
    // Publishes pending appends now (tests, and a view that wants to scroll to the end).
    void flush();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const HttpJournal::Entry *entry(int row) const;
    int rowOfEntry(qint64 id) const;

    static Outcome outcomeOf(const HttpJournal::Entry &entry);
    // "/namespaces/_/actions/x?blocking=true" for a URL below /api/v1.
    static QString shortPath(const QUrl &url);
    static QString sizeText(qint64 bytes);

private:
    QPointer<HttpJournal> m_journal;
    QTimer m_batch;
    int m_shown = 0;    // rows published: the journal's first m_shown entries
    int m_removing = 0; // rows being removed between the journal's two announcements
};

} // namespace Feedscope

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "activationrow.h"

#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace Feedscope {

class ActivationTableModel;

// What the monitor table shows (issue G): kinds and statuses as bit sets (empty = all), the
// trigger / rule / action names exactly, and free text over name, id and payload excerpt.
struct ActivationRowFilter
{
    quint32 kinds = 0;    // bits 1 << int(ActivationKind)
    quint32 statuses = 0; // bits 1 << int(ActivationStatus)
    QString trigger;
    QString rule;
    QString action;
    QString text;
    // A time span (epoch ms, start of the activation; 0 = open), set by dragging over the
    // timeline. Not saved with a named filter: a span is about one moment, a name is for reuse.
    qint64 from = 0;
    qint64 to = 0;

    static quint32 bit(ActivationKind k) { return 1u << quint32(k); }
    static quint32 bit(ActivationStatus s) { return 1u << quint32(s); }
    bool isEmpty() const;
    QJsonObject toJson() const;
    static ActivationRowFilter fromJson(const QJsonObject &json);
    friend bool operator==(const ActivationRowFilter &, const ActivationRowFilter &) = default;
};

// Named filters kept as one small JSON file (`monitor-filters.json`) in a directory the app
// chooses (its config directory; a temporary one in tests). Written at once on every change.
class SavedActivationFilters
{
public:
    explicit SavedActivationFilters(const QString &directory);

    QStringList names() const { return m_filters.keys(); }
    bool contains(const QString &name) const { return m_filters.contains(name); }
    ActivationRowFilter filter(const QString &name) const;
    // False (with errorString) when the file cannot be written.
    bool save(const QString &name, const ActivationRowFilter &filter);
    bool remove(const QString &name);
    QString errorString() const { return m_error; }
    QString fileName() const { return m_path; }

private:
    bool write();

    QString m_path;
    QJsonObject m_filters;
    QString m_error;
};

// The filter proxy over ActivationTableModel. Rows are read straight from the source's compact
// rows, not through data(), and no sorting is done: rows arrive in time order, and a sorted
// proxy over 100k live rows is what STYLE.md 8 warns against. Rows whose trigger link arrives
// later (dataChanged) are filtered again.
class ActivationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ActivationFilterModel(ActivationTableModel *source, QObject *parent = nullptr);

    void setFilter(const ActivationRowFilter &filter);
    const ActivationRowFilter &filter() const { return m_filter; }
    bool accepts(const ActivationRow &row) const;

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    ActivationTableModel *m_source;
    ActivationRowFilter m_filter;
};

} // namespace Feedscope

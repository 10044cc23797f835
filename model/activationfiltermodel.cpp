// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationfiltermodel.h"

#include "activationtablemodel.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace Feedscope {

bool ActivationRowFilter::isEmpty() const
{
    return kinds == 0 && statuses == 0 && trigger.isEmpty() && rule.isEmpty() && action.isEmpty()
           && text.isEmpty() && from == 0 && to == 0;
}

QJsonObject ActivationRowFilter::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("kinds"), qint64(kinds));
    o.insert(QStringLiteral("statuses"), qint64(statuses));
    o.insert(QStringLiteral("trigger"), trigger);
    o.insert(QStringLiteral("rule"), rule);
    o.insert(QStringLiteral("action"), action);
    o.insert(QStringLiteral("text"), text);
    return o;
}

ActivationRowFilter ActivationRowFilter::fromJson(const QJsonObject &json)
{
    ActivationRowFilter f;
    f.kinds = quint32(json.value(QLatin1String("kinds")).toInteger());
    f.statuses = quint32(json.value(QLatin1String("statuses")).toInteger());
    f.trigger = json.value(QLatin1String("trigger")).toString();
    f.rule = json.value(QLatin1String("rule")).toString();
    f.action = json.value(QLatin1String("action")).toString();
    f.text = json.value(QLatin1String("text")).toString();
    return f;
}

SavedActivationFilters::SavedActivationFilters(const QString &directory)
    : m_path(QDir(directory).filePath(QStringLiteral("monitor-filters.json")))
{
    QFile file(m_path);
    if (file.open(QIODevice::ReadOnly))
        m_filters = QJsonDocument::fromJson(file.readAll()).object();
}

ActivationRowFilter SavedActivationFilters::filter(const QString &name) const
{
    return ActivationRowFilter::fromJson(m_filters.value(name).toObject());
}

bool SavedActivationFilters::save(const QString &name, const ActivationRowFilter &filter)
{
    if (name.trimmed().isEmpty()) {
        m_error = QStringLiteral("A saved filter needs a name.");
        return false;
    }
    m_filters.insert(name.trimmed(), filter.toJson());
    return write();
}

bool SavedActivationFilters::remove(const QString &name)
{
    m_filters.remove(name);
    return write();
}

bool SavedActivationFilters::write()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(m_filters).toJson()) < 0 || !file.commit()) {
        m_error = QStringLiteral("Saving the monitor filters to %1 failed: %2")
                      .arg(m_path, file.errorString());
        return false;
    }
    m_error.clear();
    return true;
}

ActivationFilterModel::ActivationFilterModel(ActivationTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_source(source)
{
    setSourceModel(source);
    setDynamicSortFilter(true); // re-filter rows whose links change; no sort column is set
}

void ActivationFilterModel::setFilter(const ActivationRowFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateFilter();
    Q_EMIT filterChanged();
}

bool ActivationFilterModel::accepts(const ActivationRow &row) const
{
    const ActivationRowFilter &f = m_filter;
    if (f.kinds && !(f.kinds & ActivationRowFilter::bit(row.kind)))
        return false;
    if (f.statuses && !(f.statuses & ActivationRowFilter::bit(row.status)))
        return false;
    if ((f.from && row.start < f.from) || (f.to && row.start > f.to))
        return false;
    if (!f.trigger.isEmpty() && m_source->text(row.trigger) != f.trigger)
        return false;
    if (!f.rule.isEmpty() && m_source->text(row.rule) != f.rule)
        return false;
    if (!f.action.isEmpty()
        && (row.kind == ActivationKind::Trigger || m_source->text(row.name) != f.action))
        return false;
    if (!f.text.isEmpty()) {
        const QString &name = m_source->text(row.name);
        if (!name.contains(f.text, Qt::CaseInsensitive)
            && !row.idString(m_source->strings()).contains(f.text, Qt::CaseInsensitive)
            && !QString::fromUtf8(row.payload).contains(f.text, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool ActivationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    return accepts(m_source->rowAt(sourceRow));
}

} // namespace Feedscope

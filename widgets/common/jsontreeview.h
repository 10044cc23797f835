// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QTreeWidget>

namespace Feedscope::Ui {

// A JSON value as a collapsible tree (key, value, type): what the monitor's detail pane shows
// for parameters, payloads and results. Objects and arrays are expanded to `expandDepth` levels;
// long strings are shown whole in the tooltip and cut in the cell. Large values stop adding
// children past `maxNodes` (a "… N more" row says so) so a huge result cannot stall the UI.
class JsonTreeView : public QTreeWidget
{
    Q_OBJECT

public:
    explicit JsonTreeView(QWidget *parent = nullptr);

    void setJson(const QJsonValue &value);
    QJsonValue json() const { return m_value; }
    // Shown instead of a tree ("No result", "Not loaded yet").
    void setPlaceholder(const QString &text);

    static constexpr int expandDepth = 2;
    static constexpr int maxNodes = 2000;

private:
    void addChildren(QTreeWidgetItem *parent, const QJsonValue &value, int depth, int &budget);
    QTreeWidgetItem *makeItem(const QString &key, const QJsonValue &value);

    QJsonValue m_value;
};

} // namespace Feedscope::Ui

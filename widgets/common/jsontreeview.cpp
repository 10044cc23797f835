// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsontreeview.h"

#include "theme.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Feedscope::Ui {
namespace {

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QStringLiteral("{%1}").arg(value.toObject().size());
    case QJsonValue::Array:
        return QStringLiteral("[%1]").arg(value.toArray().size());
    case QJsonValue::String:
        return QStringLiteral("\"%1\"").arg(value.toString());
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) && qAbs(d) < 1e15 ? QString::number(qint64(d))
                                                        : QString::number(d, 'g', 15);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

} // namespace

JsonTreeView::JsonTreeView(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(3);
    setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setFont(Theme::monospace());
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    header()->setSectionResizeMode(1, QHeaderView::Stretch);
    header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    setColumnWidth(0, 160);
}

void JsonTreeView::setPlaceholder(const QString &text)
{
    m_value = QJsonValue();
    clear();
    auto *item = new QTreeWidgetItem(this, {text});
    item->setFirstColumnSpanned(true);
    item->setForeground(0, Theme::color(Theme::Role::Muted, this));
}

void JsonTreeView::setJson(const QJsonValue &value)
{
    m_value = value;
    clear();
    int budget = maxNodes;
    if (value.isObject() || value.isArray()) {
        addChildren(invisibleRootItem(), value, 0, budget);
        if (topLevelItemCount() == 0)
            setPlaceholder(value.isObject() ? tr("{} (empty object)") : tr("[] (empty array)"));
        m_value = value;
        return;
    }
    addTopLevelItem(makeItem(tr("(value)"), value));
}

QTreeWidgetItem *JsonTreeView::makeItem(const QString &key, const QJsonValue &value)
{
    QString text = scalarText(value);
    auto *item = new QTreeWidgetItem({key, QString(), typeName(value)});
    if (value.isString() && text.size() > 200) {
        item->setToolTip(1, value.toString().left(20000));
        text = text.left(200) + QStringLiteral("…");
    }
    item->setText(1, text);
    if (value.isObject() || value.isArray())
        item->setForeground(1, Theme::color(Theme::Role::Muted, this));
    return item;
}

void JsonTreeView::addChildren(QTreeWidgetItem *parent, const QJsonValue &value, int depth, int &budget)
{
    const auto add = [&](const QString &key, const QJsonValue &child) {
        if (budget <= 0)
            return false;
        --budget;
        QTreeWidgetItem *item = makeItem(key, child);
        parent->addChild(item);
        if (child.isObject() || child.isArray()) {
            addChildren(item, child, depth + 1, budget);
            item->setExpanded(depth + 1 < expandDepth);
        }
        return true;
    };
    int shown = 0;
    int total = 0;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        total = int(object.size());
        for (auto it = object.begin(); it != object.end() && add(it.key(), it.value()); ++it)
            ++shown;
    } else {
        const QJsonArray array = value.toArray();
        total = int(array.size());
        for (int i = 0; i < array.size() && add(QStringLiteral("[%1]").arg(i), array.at(i)); ++i)
            ++shown;
    }
    if (shown < total) {
        auto *more = new QTreeWidgetItem({tr("… %n more", nullptr, total - shown)});
        more->setFirstColumnSpanned(true);
        parent->addChild(more);
    }
}

} // namespace Feedscope::Ui

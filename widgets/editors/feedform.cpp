// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedform.h"

#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/theme.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace Feedscope::Ui {

FeedForm::FeedForm(QWidget *parent)
    : QWidget(parent)
    , m_rows(new QWidget(this))
    , m_form(new QFormLayout(m_rows))
    , m_other(new JsonField(this))
    , m_stateTitle(new QLabel(tr("Also in the feed's READ (its state, not parameters):"), this))
    , m_state(new JsonField(this))
    , m_message(new MessageBar(this))
    , m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("feedForm"));
    setAccessibleName(tr("Feed parameters"));
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_other->setFieldName(QStringLiteral("otherFeedParameters"),
                          tr("Other feed parameters (JSON)"));
    m_other->setPlaceholderText(tr("Other feed parameters as JSON, e.g. {\"key\": \"value\"}"));
    m_other->setMaximumHeight(90);
    m_message->setObjectName(QStringLiteral("feedMessage"));
    m_message->setAccessibleName(tr("Feed message"));
    m_empty->setWordWrap(true);
    m_empty->setObjectName(QStringLiteral("feedFormNote"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_empty);
    layout->addWidget(m_rows);
    layout->addWidget(m_other);
    m_state->setFieldName(QStringLiteral("feedState"), tr("State in the feed's READ"));
    m_state->setReadOnly(true);
    m_state->setMaximumHeight(110);
    m_stateTitle->setObjectName(QStringLiteral("feedStateTitle"));
    layout->addWidget(m_stateTitle);
    layout->addWidget(m_state);
    m_stateTitle->hide();
    m_state->hide();
    connect(m_other, &JsonField::edited, this, &FeedForm::edited);
    setParameters({}, false);
}

void FeedForm::setParameters(const QList<FeedParameter> &parameters, bool existing)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    m_parameters = parameters;
    const QColor muted = Theme::color(Theme::Role::Muted, this);
    for (const FeedParameter &p : parameters) {
        auto *edit = new QLineEdit(m_rows);
        edit->setObjectName(QStringLiteral("feedParam_") + p.name);
        edit->setAccessibleName(p.name);
        edit->setAccessibleDescription(p.description);
        edit->setToolTip(p.description);
        if (p.password)
            edit->setEchoMode(QLineEdit::Password);
        if (!p.sample.isUndefined())
            edit->setPlaceholderText(tr("e.g. %1").arg(textFromValue(p.sample)));
        if (existing && !p.updatable) {
            edit->setReadOnly(true);
            edit->setToolTip(
                tr("Fixed once the trigger exists: the feed does not accept it in UPDATE.") + u'\n'
                + p.description);
        }
        connect(edit, &QLineEdit::textEdited, this, &FeedForm::edited);
        auto *cell = new QWidget(m_rows);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 2);
        cellLayout->setSpacing(1);
        cellLayout->addWidget(edit);
        if (!p.description.isEmpty()) {
            auto *help = new QLabel(p.description, cell);
            help->setWordWrap(true);
            help->setObjectName(QStringLiteral("feedHelp_") + p.name);
            QPalette palette = help->palette();
            palette.setColor(QPalette::WindowText, muted);
            help->setPalette(palette);
            QFont font = help->font();
            font.setPointSizeF(font.pointSizeF() * 0.9);
            help->setFont(font);
            cellLayout->addWidget(help);
        }
        QString label = p.name;
        if (p.required)
            label += QStringLiteral(" *");
        if (existing && !p.updatable)
            label += tr(" (fixed)");
        m_form->addRow(label + u':', cell);
        m_fields.append(edit);
    }
    m_rows->setVisible(!parameters.isEmpty());
    m_empty->setText(
        parameters.isEmpty()
            ? tr("This feed action declares no parameters (no `parameters` annotation): give "
                 "them as JSON.")
            : tr("Fields marked * are required. Values are JSON when they parse as JSON "
                 "(42, true, {\"a\": 1}), otherwise text."));
}

QLineEdit *FeedForm::field(const QString &parameter) const
{
    for (qsizetype i = 0; i < m_parameters.size(); ++i) {
        if (m_parameters.at(i).name == parameter)
            return m_fields.at(i);
    }
    return nullptr;
}

void FeedForm::setValues(const QJsonObject &values)
{
    QJsonObject other = values;
    for (qsizetype i = 0; i < m_parameters.size(); ++i) {
        const QString &name = m_parameters.at(i).name;
        m_fields.at(i)->setText(textFromValue(values.value(name)));
        other.remove(name);
    }
    // A feed that declares its parameters: the rest of its READ is state, not input.
    const bool declared = !m_parameters.isEmpty();
    m_other->setValue(declared ? QJsonObject() : other);
    m_state->setValue(declared ? other : QJsonObject());
    m_state->setVisible(declared && !other.isEmpty());
    m_stateTitle->setVisible(declared && !other.isEmpty());
}

QJsonObject FeedForm::values() const
{
    QJsonObject values = m_other->object();
    for (qsizetype i = 0; i < m_parameters.size(); ++i) {
        const QString text = m_fields.at(i)->text();
        if (!text.trimmed().isEmpty())
            values.insert(m_parameters.at(i).name, valueFromText(text));
    }
    return values;
}

QString FeedForm::validationError() const
{
    if (!m_other->isValid())
        return tr("The other feed parameters are not valid JSON: %1").arg(m_other->errorText());
    for (qsizetype i = 0; i < m_parameters.size(); ++i) {
        if (m_parameters.at(i).required && m_fields.at(i)->text().trimmed().isEmpty())
            return tr("The feed parameter %1 is required.").arg(m_parameters.at(i).name);
    }
    return {};
}

} // namespace Feedscope::Ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityeditor.h"

class QCheckBox;
class QComboBox;

namespace Feedscope::Ui {

class MessageBar;

// A rule: which trigger runs which action, and whether it is active (PROTOCOL.md 1.9). The
// pickers offer the namespace's triggers and actions; other names (another namespace's
// published action) can be typed.
class RuleEditor : public EntityEditor
{
    Q_OBJECT

public:
    RuleEditor(Session *session, const EntityRef &entity, QWidget *parent = nullptr);

    QComboBox *triggerCombo() const { return m_trigger; }
    QComboBox *actionCombo() const { return m_action; }
    QCheckBox *activeBox() const { return m_active; }

protected:
    void fetch() override;
    void send(const QualifiedName &name) override;
    QString validationError() const override;
    MessageBar *fieldMessage(const WhiskError &error) const override;

private:
    void setActive(const QualifiedName &name, const QString &savedMessage);

    Rule m_rule;
    QComboBox *m_trigger;
    MessageBar *m_triggerMessage;
    QComboBox *m_action;
    MessageBar *m_actionMessage;
    QCheckBox *m_active;
};

} // namespace Feedscope::Ui
